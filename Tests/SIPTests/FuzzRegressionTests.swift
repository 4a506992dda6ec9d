import CSofiaSIP
import Testing
@testable import SIP

/// Inputs the fuzz harness (Fuzz/Sources/FuzzSIP) found or was seeded with that
/// trapped the message reader, each parsed by sofia exactly as a datagram is.
@Suite struct FuzzRegressionTests {
    /// Parses `text` with sofia's SIP parser and reads it as wagate does.
    private func read(_ text: String) -> SIPRequest? {
        let bytes = Array(text.utf8)
        guard let msg = msg_make(sip_default_mclass(), 0, bytes, bytes.count) else { return nil }
        defer { msg_destroy(msg) }
        // sip_object(msg) is a macro: msg_public with the SIP protocol tag.
        guard msg_has_error(msg) == 0, let pub = msg_public(msg, UnsafeMutableRawPointer(bitPattern: 0x5349_5020)) else { return nil }
        let sip = UnsafeRawPointer(pub).assumingMemoryBound(to: sip_t.self)
        return SofiaMessageReader.request(sip, source: SIPSource(host: "192.0.2.10", port: 5_060, transport: "udp"))
    }

    private func register(_ header: String) -> String {
        "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: big@x\r\n"
            + "CSeq: 1 REGISTER\r\nContact: <sip:alice@127.0.0.1:5070>\r\n\(header)\r\nContent-Length: 0\r\n\r\n"
    }

    @Test func expiresOfTwoToTheSixtyFourMinusOneIsClampedNotTrapped() throws {
        let request = try #require(read(register("Expires: 18446744073709551615")))
        #expect(request.method == "REGISTER")
        #expect(request.source.host == "192.0.2.10")
        #expect((request.expires ?? 0) >= 3_600)  // clamped: far beyond any registrar maximum
    }

    @Test func contactExpiresBeyondIntIsClampedNotTrapped() throws {
        let request = try #require(read(register("Expires: 60").replacingOccurrences(
            of: "5070>\r\n", with: "5070>;expires=18446744073709551615\r\n")))
        #expect(request.contacts.count == 1)
        #expect(request.contacts.first?.expires == Int(UInt32.max))  // RFC 3261 delta-seconds ceiling
        #expect(request.expires == 60)
    }
}
