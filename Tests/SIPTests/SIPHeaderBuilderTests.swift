// The typed builders for URIs and the headers wagate writes.

import Testing
@testable import SIP

@Suite("SIP URI and header builders")
struct SIPHeaderBuilderTests {
    @Test("a URI escapes its user part, brackets IPv6 and writes the transport it is given")
    func uris() {
        #expect(SIPURI(user: "+4915112345678", host: "192.0.2.1").description == "sip:+4915112345678@192.0.2.1")
        #expect(SIPURI(user: "a@b;c", host: "2001:db8::1", port: 5061, transport: "TLS").description
            == "sip:a%40b%3Bc@[2001:db8::1]:5061;transport=tls")
        #expect(SIPURI(host: "[2001:db8::1]", port: 5060, transport: "udp").description
            == "sip:[2001:db8::1]:5060;transport=udp")
        #expect(SIPURI(host: "192.0.2.1", port: 5060).description == "sip:192.0.2.1:5060")
        #expect(SIPURI(user: "100", host: "pbx.example.com", port: 5060, transport: "tcp").description
            == "sip:100@pbx.example.com:5060;transport=tcp")
        #expect(SIPURI(scheme: "sips", host: "gw.example.com").description == "sips:gw.example.com")
    }

    @Test("a name-addr quotes and cleans the display name, and drops it when nothing printable is left")
    func nameAddresses() {
        let uri = SIPURI(user: "+15551234567", host: "192.0.2.1")
        #expect(SIPNameAddress(displayName: "Zoë \"Z\"", uri: uri).description == "\"Zoë \\\"Z\\\"\" <sip:+15551234567@192.0.2.1>")
        #expect(SIPNameAddress(displayName: "\r\n", uri: uri).description == "<sip:+15551234567@192.0.2.1>")
        #expect(SIPNameAddress(uri: "sip:alice@192.0.2.9:5062;ob").assertedIdentityHeader
            == "P-Asserted-Identity: <sip:alice@192.0.2.9:5062;ob>")
    }

    @Test("Warning is 399 wagate with a header-safe text; an empty text gives none")
    func warnings() throws {
        #expect(SIPWarning("destination +1900 not permitted")?.header
            == "Warning: 399 wagate \"destination +1900 not permitted\"")
        #expect(SIPWarning("Graph said \"no\"\r\nX-Evil: 1")?.description == "399 wagate \"Graph said \\\"no\\\" X-Evil: 1\"")
        #expect(SIPWarning(" \t ") == nil)
        let long = try #require(SIPWarning(String(repeating: "x", count: 1000)))
        #expect(long.quotedText.count == SIPWarning.textLimit + 2)
    }

    @Test("Reason carries protocol, cause and a quoted text when there is one")
    func reasons() {
        #expect(SIPReasonHeader(cause: 403, text: "not permitted").header == "Reason: SIP;cause=403;text=\"not permitted\"")
        #expect(SIPReasonHeader(protocolName: "Q.850", cause: 16).description == "Q.850;cause=16")
        #expect(SIPReasonHeader(cause: 503, text: "\u{0}").description == "SIP;cause=503")
    }
}
