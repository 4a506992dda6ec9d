import Testing
@testable import SIP

/// Replaces (RFC 3891) and Refer-To (RFC 3515) as they arrive from phones and PBXs.
@Suite("REFER parsing") struct ReferParsingTests {
    @Test("RFC 3891's examples parse, in either tag order, and format to-tag first")
    func rfcExamples() throws {
        let first = try #require(ReplacesHeader("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff"))
        #expect(first == ReplacesHeader(callID: "98732@sip.example.com", toTag: "ff87ff", fromTag: "r33th4x0r"))
        #expect(first.description == "98732@sip.example.com;to-tag=ff87ff;from-tag=r33th4x0r")
        #expect(first.header == "Replaces: 98732@sip.example.com;to-tag=ff87ff;from-tag=r33th4x0r")
        let early = try #require(ReplacesHeader("12adf2f34456gs5;to-tag=12345;from-tag=54321;early-only"))
        #expect(early.earlyOnly && early.toTag == "12345" && early.fromTag == "54321")
        #expect(early.description == "12adf2f34456gs5;to-tag=12345;from-tag=54321;early-only")
        #expect(ReplacesHeader(" 425928@bobster.example.org ; to-tag = 7743 ; FROM-TAG=6472 ; x=1") != nil)
    }

    @Test("hostile or incomplete Replaces values are refused", arguments: [
        "", "abc", "abc;to-tag=1", "abc;from-tag=1", ";to-tag=1;from-tag=2", "abc;to-tag=;from-tag=2",
        "abc;to-tag=1\r\nX-Evil: 1;from-tag=2", "abc;to-tag=1;from-tag=2\r\n", "a b;to-tag=1;from-tag=2",
        "abc;to-tag=1;from-tag=<2>", "abc\"x;to-tag=1;from-tag=2", "abc;to-tag=1;from-tag=2;x=<y>",
        String(repeating: "a", count: 600) + ";to-tag=1;from-tag=2",
    ])
    func refusesHostile(value: String) {
        #expect(ReplacesHeader(value) == nil)
    }

    @Test("a blind Refer-To: the user part, unescaped; display names and parameters dropped")
    func blind() throws {
        let plain = try ReferRequest.parse(referTo: "<sip:bob@192.0.2.1>").get()
        #expect(plain.targetUser == "bob" && plain.referTo == "sip:bob@192.0.2.1" && plain.replaces == nil)
        let named = try ReferRequest.parse(referTo: "\"Sales\" <sips:%2B441234567890@pbx.example.com;user=phone>;x=y").get()
        #expect(named.targetUser == "+441234567890")
        let bare = try ReferRequest.parse(referTo: "sip:2001@pbx;transport=udp").get()
        #expect(bare.targetUser == "2001")
        let hostOnly = try ReferRequest.parse(referTo: "<sip:pbx.example.com>").get()
        #expect(hostOnly.targetUser == nil)
    }

    @Test("an attended Refer-To carries an escaped Replaces (RFC 3891 §5)")
    func attended() throws {
        let value = "<sips:bob@bobster.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>"
        let request = try ReferRequest.parse(referTo: value).get()
        #expect(request.targetUser == "bob")
        #expect(request.replaces == ReplacesHeader(callID: "12345@192.168.118.3", toTag: "12345", fromTag: "5FFE-3994"))
        let mixed = try ReferRequest.parse(referTo: "<sip:bob@h?Subject=x&replaces=a%3Bfrom-tag%3D2%3Bto-tag%3D1>").get()
        #expect(mixed.replaces?.description == "a;to-tag=1;from-tag=2")
    }

    @Test("bad Refer-To values name their problem")
    func problems() {
        #expect(ReferRequest.parse(referTo: "<tel:+441234567890>") == .failure(.unsupportedScheme("tel")))
        #expect(ReferRequest.parse(referTo: "<http://example.com/>") == .failure(.unsupportedScheme("http")))
        #expect(ReferRequest.parse(referTo: "") == .failure(.malformed))
        #expect(ReferRequest.parse(referTo: "<bob>") == .failure(.malformed))
        #expect(ReferRequest.parse(referTo: "<sip:>") == .failure(.malformed))
        #expect(ReferRequest.parse(referTo: "<sip:bob@h\r\nX: 1>") == .failure(.malformed))
        #expect(ReferRequest.parse(referTo: "<sip:b@h?Replaces=x%0D%0A%3Bto-tag%3D1%3Bfrom-tag%3D2>") == .failure(.badReplaces))
        #expect(ReferRequest.parse(referTo: "<sip:" + String(repeating: "b", count: 3000) + "@h>") == .failure(.malformed))
    }

    @Test("the sipfrag body carries the status line")
    func sipfrag() {
        #expect(SofiaRuntime.sipfrag(100) == "SIP/2.0 100 Trying\r\n")
        #expect(SofiaRuntime.sipfrag(200) == "SIP/2.0 200 OK\r\n")
        #expect(SofiaRuntime.sipfrag(501) == "SIP/2.0 501 Not Implemented\r\n")
    }
}
