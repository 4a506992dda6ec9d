import Testing
@testable import SIP

@Suite("SIP trace: masking and message assembly") struct SIPTraceMaskingTests {
    @Test("digest responses and nonces are masked; username, realm, uri, algorithm, qop and nc stay")
    func digest() {
        let lines = SIPTraceMasking.mask(lines: [
            "INVITE sip:*43@192.0.2.1 SIP/2.0",
            #"Proxy-Authorization: Digest username="alice",realm="wagate",nonce="abc123",uri="sip:*43@192.0.2.1","#
                + #"response="0123456789abcdef0123456789abcdef",algorithm=MD5,cnonce="xyz",qop=auth,nc=00000001"#,
            #"WWW-Authenticate: Digest realm="wagate", nonce="n0nce,with,commas", opaque="op", algorithm=SHA-256"#,
            "authorization: Basic YWxpY2U6c2VjcmV0",
            "Authentication-Info: rspauth=\"ff00\", nextnonce=\"nn\"",
        ])
        #expect(lines[0] == "INVITE sip:*43@192.0.2.1 SIP/2.0")
        #expect(lines[1] == #"Proxy-Authorization: Digest username="alice",realm="wagate",nonce="***","#
            + #"uri="sip:*43@192.0.2.1",response="***",algorithm=MD5,cnonce="***",qop=auth,nc=00000001"#)
        #expect(lines[2] == #"WWW-Authenticate: Digest realm="wagate", nonce="***", opaque="***", algorithm=SHA-256"#)
        #expect(lines[3] == "authorization: Basic ***")
        #expect(lines[4] == #"Authentication-Info: rspauth="***", nextnonce="***""#)
    }

    @Test("a folded continuation of a credential header is masked too")
    func folded() {
        let lines = SIPTraceMasking.mask(lines: [#"Authorization: Digest username="bob","#, #"  response="deadbeef""#,
                                                 "Via: SIP/2.0/UDP 192.0.2.1"])
        #expect(lines == [#"Authorization: Digest username="bob","#, #"  response="***""#, "Via: SIP/2.0/UDP 192.0.2.1"])
    }

    @Test("SDES keys are masked, the suite, lifetime and MKI stay; key-mgmt is masked whole")
    func sdes() {
        #expect(SIPTraceMasking.maskSDP("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:S2V5S2V5S2V5|2^20|1:32")
            == "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:***|2^20|1:32")
        #expect(SIPTraceMasking.maskSDP("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:AAAA;inline:BBBB UNENCRYPTED_SRTCP")
            == "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:***;inline:*** UNENCRYPTED_SRTCP")
        #expect(SIPTraceMasking.maskSDP("a=key-mgmt:mikey AQAFgM0X") == "a=key-mgmt:***")
        #expect(SIPTraceMasking.maskSDP("a=rtpmap:8 PCMA/8000") == "a=rtpmap:8 PCMA/8000")
    }

    @Test("tport's trace lines become one message with its stamp; other lines stay plain; long input is bounded")
    func assembly() {
        var assembler = SofiaTraceAssembler()
        let separator = "   " + String(repeating: "-", count: 72)
        #expect(assembler.feed("recv 538 bytes from udp/[192.0.2.1]:5060 at 12:00:00.000001:") == nil)
        #expect(assembler.feed(separator) == nil)
        #expect(assembler.feed("   OPTIONS sip:wagate SIP/2.0") == nil)
        #expect(assembler.feed("   Call-ID: abc") == nil)
        #expect(assembler.feed(separator) == .message(summary: "recv 538 bytes from udp/[192.0.2.1]:5060",
                                                      lines: ["OPTIONS sip:wagate SIP/2.0", "Call-ID: abc"],
                                                      truncated: false))
        #expect(assembler.feed("su_root_destroy: 1 registered waits") == .plain("su_root_destroy: 1 registered waits"))
        #expect(SofiaLog.callID(["OPTIONS sip:x SIP/2.0", "i: compact-id", ""]) == "compact-id")

        _ = assembler.feed("send 9999 bytes to tcp/[192.0.2.1]:5060 at 12:00:00.000001:")
        _ = assembler.feed(separator)
        for index in 0..<(SofiaTraceAssembler.maxLines + 20) {
            _ = assembler.feed("   X-Long-\(index): " + String(repeating: "y", count: 2000))
        }
        guard case .message(_, let lines, let truncated) = assembler.feed(separator) else {
            Issue.record("no message")
            return
        }
        #expect(truncated && lines.count == SofiaTraceAssembler.maxLines)
        #expect(lines.allSatisfy { $0.count <= SofiaTraceAssembler.maxLineLength + 1 })
    }
}
