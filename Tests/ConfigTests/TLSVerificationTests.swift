// [general] tls_verify, tls_ca_file and tls_client_names.

import Testing

@testable import Config

@Suite("TLS verification keys")
struct TLSVerificationTests {
    /// A readable file to stand in for certificates and CA bundles.
    private let file = TestSupport.examplePath

    private func general(_ lines: String) -> String {
        "[general]\nlisten = tls:127.0.0.1:5061\ntls_certificate = \(file)\ntls_private_key = \(file)\n\(lines)"
    }

    @Test func verificationIsOffByDefault() throws {
        let config = try TestSupport.parse(general(""))
        #expect(config.general.tlsVerification == TLSVerification())
        #expect(config.general.tlsVerification.mode == .none)
    }

    @Test func serverModeTakesTheCAFile() throws {
        let config = try TestSupport.parse(general("tls_verify = server\ntls_ca_file = \(file)"))
        #expect(config.general.tlsVerification == TLSVerification(mode: .server, caFile: file))
        #expect(config.general.tlsVerification.mode.checksServers)
        #expect(!config.general.tlsVerification.mode.checksClients)
    }

    @Test func bothModeKeepsClientNamesLowercased() throws {
        let config = try TestSupport.parse(general("tls_verify = both\ntls_ca_file = \(file)\ntls_client_names = PBX.example, 192.0.2.7"))
        #expect(config.general.tlsVerification.clientNames == ["pbx.example", "192.0.2.7"])
        #expect(config.general.tlsVerification.mode.checksServers && config.general.tlsVerification.mode.checksClients)
    }

    @Test func unknownModeIsRefusedWithItsLine() {
        let problems = TestSupport.problems(general("tls_verify = strict"))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("sip.conf:5:") == true)
    }

    @Test func caFileWithoutVerificationIsRefused() {
        #expect(TestSupport.problems(general("tls_ca_file = \(file)")) ==
            ["sip.conf:5: 'tls_ca_file' requires 'tls_verify' other than none in [general]"])
    }

    @Test func clientNamesNeedClientVerification() {
        #expect(TestSupport.problems(general("tls_verify = server\ntls_ca_file = \(file)\ntls_client_names = a.example")) ==
            ["sip.conf:7: 'tls_client_names' requires 'tls_verify = client' or 'both' in [general]"])
    }

    @Test func verificationNeedsTheTLSFiles() {
        let problems = TestSupport.problems("[general]\nlisten = udp:127.0.0.1:5060\ntls_verify = server\ntls_ca_file = \(file)")
        #expect(problems == ["sip.conf:3: 'tls_verify' requires 'tls_certificate' and 'tls_private_key' in [general]"])
    }

    @Test func unreadableCAFileIsReported() {
        let problems = TestSupport.problems(general("tls_verify = client\ntls_ca_file = /nonexistent/ca.pem"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("cannot read tls_ca_file") == true)
    }
}
