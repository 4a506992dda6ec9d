import Testing
@testable import SIP

@Suite("WhatsApp names and numbers made header-safe")
struct SIPHeaderTextTests {
    @Test("control characters go, quotes and backslashes are escaped")
    func quoting() {
        #expect(SIPHeaderText.quotedDisplayName("Alice") == "\"Alice\"")
        #expect(SIPHeaderText.quotedDisplayName("Eve\r\nVia: evil") == "\"Eve Via: evil\"")
        #expect(SIPHeaderText.quotedDisplayName("back\\") == "\"back\\\\\"")
        #expect(SIPHeaderText.quotedDisplayName("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(SIPHeaderText.quotedDisplayName("nul\u{0}bell\u{7}del\u{7f}") == "\"nulbelldel\"")
        #expect(SIPHeaderText.quotedDisplayName("\u{202e}evil") == "\"evil\"")
        #expect(SIPHeaderText.quotedDisplayName("  \t\r\n ") == nil)
        #expect(SIPHeaderText.quotedDisplayName("José 山田 🎉") == "\"José 山田 🎉\"")
    }

    @Test("long names are capped at 64 scalars on a UTF-8 boundary")
    func capping() throws {
        let long = try #require(SIPHeaderText.quotedDisplayName(String(repeating: "é", count: 4000)))
        #expect(long.unicodeScalars.count == SIPHeaderText.displayNameLimit + 2)
        let escapes = try #require(SIPHeaderText.quotedDisplayName(String(repeating: "\\", count: 4000)))
        #expect(escapes.unicodeScalars.count == 2 * SIPHeaderText.displayNameLimit + 2)
        #expect(escapes.hasSuffix("\\\\\""))
    }

    @Test("a user part keeps digits and + and escapes the rest")
    func userParts() {
        #expect(SIPHeaderText.userPart("+15551234567") == "+15551234567")
        #expect(SIPHeaderText.userPart("a@b;c>\r\n") == "a%40b%3Bc%3E%0D%0A")
        #expect(SIPHeaderText.userPart("") == "anonymous")
        #expect(SIPHeaderText.userPart(String(repeating: "é", count: 100)).utf8.count <= SIPHeaderText.userPartLimit)
        #expect(!SIPHeaderText.userPart(String(repeating: "é", count: 100)).hasSuffix("%"))
    }
}

@Suite("Warning and Reason texts made header-safe")
struct SIPHeaderTextQuotedTests {
    @Test("a Graph error text with line breaks and quotes stays one valid quoted-string")
    func graphErrorText() {
        #expect(SIPHeaderText.quoted("(#100) Invalid\r\nparameter \"to\"\\", limit: 120)
            == "\"(#100) Invalid parameter \\\"to\\\"\\\\\"")
        #expect(SIPHeaderText.quoted(String(repeating: "x", count: 500), limit: 120)?.count == 122)
        #expect(SIPHeaderText.quoted("\r\n", limit: 120) == nil)
    }
}
