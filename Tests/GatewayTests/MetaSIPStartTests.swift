// The start-time checks of SIP-mode numbers: the TLS listener's certificate
// read with swift-certificates and matched against each `sip_domain`
// (certificates made by `openssl` in a temporary directory), and the
// passwords a sandbox start fills in.

import Config
import Foundation
import Logging
import Testing
@testable import Gateway

@Suite("SIP-mode start checks")
struct MetaSIPStartTests {
    /// A temporary directory with a certificate made by `openssl req` with `extra` arguments.
    private final class CertificateDirectory {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-sipcert-\(UUID())").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Makes `NAME.pem` and `NAME.key` for subject CN `commonName` plus `extra` `openssl req` arguments.
        func make(_ name: String, commonName: String, extra: [String] = []) throws -> String {
            let certificate = "\(path)/\(name).pem"
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-days", "1", "-subj", "/CN=\(commonName)", "-keyout", "\(path)/\(name).key",
                                 "-out", certificate] + extra
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            #expect(openssl.terminationStatus == 0)
            return certificate
        }
    }

    private static func config(certificate: String, numbers: String) throws -> GatewayConfig {
        try ConfigLoader.parse(text: """
            [general]
            listen = tls:127.0.0.1:5061
            tls_certificate = \(certificate)
            tls_private_key = \(certificate.replacingOccurrences(of: ".pem", with: ".key"))

            \(numbers)
            """, file: "sip.conf", environment: [:], baseDirectory: "/")
    }

    private static let twoSIPNumbers = """
        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000
        signaling = sip
        sip_domain = sip.example.com
        sip_password = given

        [support]
        type = number
        phone_number_id = 222
        business_number = +15550100001
        signaling = sip
        sip_domain = a.pbx.example.net
        """

    @Test("T1 the subjectAltName DNS names of the first certificate in the file are read, and its CN")
    func readsNames() throws {
        let directory = try CertificateDirectory()
        let leaf = try directory.make("leaf", commonName: "leaf.example.org",
                                      extra: ["-addext", "subjectAltName=DNS:sip.example.com,DNS:*.pbx.example.net,IP:192.0.2.1"])
        let other = try directory.make("other", commonName: "chain.example.org")
        let chain = "\(directory.path)/chain.pem"
        try (String(contentsOfFile: leaf, encoding: .utf8) + String(contentsOfFile: other, encoding: .utf8))
            .write(toFile: chain, atomically: true, encoding: .utf8)
        let names = try TLSCertificateNames.read(chain)
        #expect(names == CertificateNames(dnsNames: ["sip.example.com", "*.pbx.example.net"], commonName: "leaf.example.org"))
        let cnOnly = try TLSCertificateNames.read(try directory.make("cn", commonName: "sip.example.com"))
        #expect(cnOnly == CertificateNames(dnsNames: [], commonName: "sip.example.com"))
    }

    @Test("T2 a certificate covering every sip_domain passes; a missing domain names the number and the certificate's names")
    func domainCheck() throws {
        let directory = try CertificateDirectory()
        let both = try directory.make("both", commonName: "x", extra: ["-addext", "subjectAltName=DNS:sip.example.com,DNS:*.pbx.example.net"])
        #expect(MetaSIPStart.certificateProblems(try Self.config(certificate: both, numbers: Self.twoSIPNumbers)).isEmpty)
        let one = try directory.make("one", commonName: "x", extra: ["-addext", "subjectAltName=DNS:sip.example.com"])
        #expect(MetaSIPStart.certificateProblems(try Self.config(certificate: one, numbers: Self.twoSIPNumbers)) == [
            "sip_domain 'a.pbx.example.net' of [support] is not covered by the TLS certificate '\(one)', which has "
                + "the names sip.example.com: Meta checks that the certificate names the SIP domain configured for the number",
        ])
    }

    @Test("T3 a file that is not a certificate is a problem only when a number is in SIP mode")
    func notACertificate() throws {
        let directory = try CertificateDirectory()
        let real = try directory.make("real", commonName: "x")
        let fake = "\(directory.path)/fake.pem"
        try "not a certificate\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: real.replacingOccurrences(of: ".pem", with: ".key"),
                                         toPath: "\(directory.path)/fake.key")
        let problems = MetaSIPStart.certificateProblems(try Self.config(certificate: fake, numbers: Self.twoSIPNumbers))
        #expect(problems == ["cannot read the TLS certificate '\(fake)': no CERTIFICATE block in the PEM file: "
            + "SIP-mode numbers need it to carry their sip_domain"])
        #expect(MetaSIPStart.certificateProblems(try Self.config(certificate: fake, numbers: "")).isEmpty)
    }

    @Test("T4 a sandbox start gives a SIP-mode number without sip_password a made-up one and keeps a given one")
    func sandboxPasswords() async throws {
        let directory = try CertificateDirectory()
        let both = try directory.make("both", commonName: "x", extra: ["-addext", "subjectAltName=DNS:sip.example.com,DNS:*.pbx.example.net"])
        let ready = try await MetaSIPStart.prepare(try Self.config(certificate: both, numbers: Self.twoSIPNumbers),
                                                   logger: Logger(label: "test"))
        #expect(ready.number(named: "sales")?.metaSIP?.password?.reveal() == "given")
        let made = try #require(ready.number(named: "support")?.metaSIP?.password?.reveal())
        #expect(made.count == 32)
    }

    @Test("T5 a start with an uncovered domain fails before anything is fetched")
    func startRefused() async throws {
        let directory = try CertificateDirectory()
        let one = try directory.make("one", commonName: "sip.example.com")
        await #expect(throws: MetaSIPStart.Failure.self) {
            _ = try await MetaSIPStart.prepare(try Self.config(certificate: one, numbers: Self.twoSIPNumbers),
                                               logger: Logger(label: "test"))
        }
    }
}
