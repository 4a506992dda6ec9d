import SIP
import Testing

/// Extension headers from outside text: a token name, a printable value, never a line break.
@Suite struct SIPExtensionHeaderTests {
    @Test func writesTokenNameAndPrintableValue() {
        #expect(SIPExtensionHeader.line(name: "X-WA-BSUID", value: "US.13491208655302741918")
            == "X-WA-BSUID: US.13491208655302741918")
        #expect(SIPExtensionHeader.line(name: "X-WA-Username", value: "  bob\r\n X-Evil:\t1 ") == "X-WA-Username: bob X-Evil: 1")
    }

    @Test func refusesWhatCannotBeWritten() {
        #expect(SIPExtensionHeader.line(name: "X-WA Evil", value: "1") == nil)
        #expect(SIPExtensionHeader.line(name: "X:Y", value: "1") == nil)
        #expect(SIPExtensionHeader.line(name: "", value: "1") == nil)
        #expect(SIPExtensionHeader.line(name: "X-A", value: "\r\n\u{0}") == nil)
        #expect(SIPExtensionHeader.line(name: "X-A", value: "é") == nil)
    }

    @Test func capsTheValue() {
        let line = SIPExtensionHeader.line(name: "X-A", value: String(repeating: "a", count: 500))
        #expect(line?.utf8.count == "X-A: ".utf8.count + SIPExtensionHeader.valueLimit)
    }

    @Test func aParentBSUIDFitsAUserPartWhole() {
        let parent = "US.ENT." + String(repeating: "7", count: 128)
        #expect(SIPHeaderText.userPart(parent) == parent)
    }
}
