// With a SIP-mode number in cloud mode, wagate checks Meta's TLS certificate
// unless `[general] tls_verify` says otherwise.

import Foundation
import Testing
@testable import Config

@Suite("SIP mode: Meta's certificate is checked by default")
struct MetaSIPTLSDefaultTests {
    static func config(mode: String, signaling: String, verify: String = "") -> String {
        MetaSIPConfigTests.tlsGeneral + verify + """

            [whatsapp]
            mode = \(mode)
            app_secret = secret
            verify_token = token

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            access_token = token
            signaling = \(signaling)
            \(signaling == "sip" ? "sip_domain = sip.example.com\nsip_password = pw" : "")
            """
    }

    @Test("T1 cloud mode with a SIP-mode number verifies servers against the system bundle")
    func cloudSIPVerifiesServers() throws {
        try #require(FileManager.default.isReadableFile(atPath: TLSVerification.systemBundle))
        let config = try TestSupport.parse(Self.config(mode: "cloud", signaling: "sip"))
        #expect(config.general.tlsVerification.mode == .server)
        #expect(config.general.tlsVerification.caFile == TLSVerification.systemBundle)
    }

    @Test("T2 an explicit tls_verify wins; Graph-only and sandbox configurations keep none",
          arguments: [("cloud", "sip", "tls_verify = none\n"), ("cloud", "graph", ""), ("sandbox", "sip", "")])
    func otherwiseUnchanged(mode: String, signaling: String, verify: String) throws {
        let config = try TestSupport.parse(Self.config(mode: mode, signaling: signaling, verify: verify))
        #expect(config.general.tlsVerification.mode == .none)
    }
}
