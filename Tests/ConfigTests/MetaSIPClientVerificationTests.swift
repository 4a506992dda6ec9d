// Meta does no mutual TLS: a gateway with SIP-mode numbers may not ask TLS
// clients for a certificate (`tls_verify = client | both`), because Meta's
// handshake would fail and no call from Meta would ever arrive.

import Testing
@testable import Config

@Suite("SIP-mode numbers and client certificate checks")
struct MetaSIPClientVerificationTests {
    /// A file with one SIP-mode number and `tls_verify = mode`.
    static func file(_ mode: String, signaling: String = "signaling = sip\nsip_domain = sip.example.com") -> String {
        """
        [general]
        listen = tls:127.0.0.1:5061
        tls_certificate = \(TestSupport.fixture("cert.pem"))
        tls_private_key = \(TestSupport.fixture("key.pem"))
        tls_verify = \(mode)
        tls_ca_file = \(TestSupport.fixture("cert.pem"))

        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000
        \(signaling)
        """
    }

    @Test("V1 tls_verify = client or both is refused at its line, naming the SIP-mode numbers", arguments: ["client", "both"])
    func refused(mode: String) {
        #expect(TestSupport.problems(Self.file(mode)) == [
            "sip.conf:5: 'tls_verify = \(mode)' asks every TLS client for a certificate, but Meta does no mutual TLS: "
                + "its calls to the SIP-mode number [sales] would never arrive; use 'server' or 'none'",
        ])
    }

    @Test("V2 server and none are fine with SIP mode; client is fine without it", arguments: [
        ("server", "signaling = sip\nsip_domain = sip.example.com"),
        ("none", "signaling = sip\nsip_domain = sip.example.com"),
        ("client", ""),
    ])
    func accepted(mode: String, signaling: String) throws {
        let text = Self.file(mode, signaling: signaling)
            .replacingOccurrences(of: mode == "none" ? "tls_ca_file = \(TestSupport.fixture("cert.pem"))\n" : "\u{0}",
                                  with: "")
        #expect(TestSupport.problems(text) == [])
    }
}
