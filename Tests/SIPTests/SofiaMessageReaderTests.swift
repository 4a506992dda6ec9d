import Foundation
import Testing
@testable import SIP

/// Extreme header values, parsed by sofia's real parser and read as the stack reads them.
@Suite("reading sofia-parsed requests with hostile header values")
struct SofiaMessageReaderTests {
    private func register(_ extra: [String], body: String = "") -> [UInt8] {
        let lines = [
            "REGISTER sip:127.0.0.1 SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-1",
            "From: <sip:alice@127.0.0.1>;tag=1",
            "To: <sip:alice@127.0.0.1>",
            "Call-ID: extreme-1",
        ] + extra + ["Content-Length: \(body.utf8.count)", "", body]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    @Test("Expires 2^64-1 and a 20-digit Contact expires are clamped to 2^32-1")
    func hugeExpires() throws {
        let request = try #require(SofiaMessageReader.request(parsing: register([
            "CSeq: 1 REGISTER", "Expires: 18446744073709551615",
            "Contact: <sip:alice@127.0.0.1:5999>;expires=99999999999999999999999",
        ])))
        #expect(request.expires == SofiaMessageReader.maximumDeltaSeconds)
        #expect(request.contacts.first?.expires == SofiaMessageReader.maximumDeltaSeconds)
    }

    @Test("a non-numeric Contact expires is ignored, not trusted")
    func badContactExpires() throws {
        let request = try #require(SofiaMessageReader.request(parsing: register([
            "CSeq: 1 REGISTER", "Contact: <sip:alice@127.0.0.1:5999>;expires=-5",
        ])))
        #expect(request.contacts.first?.expires == nil)
    }

    @Test("the largest CSeq and Max-Forwards values are read, larger ones refused by sofia")
    func cseqAndMaxForwards() {
        let top = SofiaMessageReader.request(parsing: register(["CSeq: 4294967295 REGISTER", "Max-Forwards: 4294967295"]))
        #expect(top?.cseq == 4_294_967_295)
        let over = SofiaMessageReader.request(parsing: register(["CSeq: 18446744073709551616 REGISTER"]))
        #expect(over == nil || over?.cseq == 0)
    }

    @Test("huge headers and bodies do not trap")
    func hugeHeaders() {
        let name = String(repeating: "x", count: 4_000)
        let request = SofiaMessageReader.request(parsing: register([
            "CSeq: 1 REGISTER", "User-Agent: \(name)", "X-Long: \(name)",
            "From: \"\(name)\" <sip:\(name)@127.0.0.1>;tag=2",
        ], body: String(repeating: "b", count: 8_000)))
        #expect(request?.userAgent?.count == 4_000)
        #expect(request?.body.count == 8_000)
        // Near the UDP maximum: sofia may refuse it; either way nothing traps.
        let huge = String(repeating: "y", count: 30_000)
        _ = SofiaMessageReader.request(parsing: register(["CSeq: 1 REGISTER", "X-A: \(huge)", "X-B: \(huge)"]))
        #expect(SofiaMessageReader.request(parsing: Array(repeating: 0xFF, count: 70_000)) == nil)
        #expect(SofiaMessageReader.request(parsing: []) == nil)
    }

    @Test("a Content-Length larger than the datagram does not read past it")
    func lyingContentLength() {
        var bytes = register(["CSeq: 1 REGISTER"], body: "abc")
        bytes = Array(String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "Content-Length: 3", with: "Content-Length: 4294967295").utf8)
        let request = SofiaMessageReader.request(parsing: bytes)
        #expect((request?.body.count ?? 0) <= 3)
    }
}
