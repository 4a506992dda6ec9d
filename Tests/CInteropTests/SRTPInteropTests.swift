import CSRTP
import SRTP
import Testing

/// libsrtp: initialised, then protect and unprotect one RTP packet with the same key.
@Suite struct SRTPInteropTests {
    @Test func protectThenUnprotectRestoresThePacket() throws {
        // srtp_init is neither thread-safe nor idempotent in libsrtp 2.5 (a second
        // call returns bad_param), so it runs once per process, behind the SRTP
        // module's lock; other suites use libsrtp in parallel.
        try SRTPSession.initializeLibrary()
        #expect(String(cString: srtp_get_version_string()).hasPrefix("libsrtp2"))
        var key = [UInt8](repeating: 0, count: 30)
        for i in key.indices { key[i] = UInt8(i &* 7 &+ 1) }

        func makeSession(_ ssrcType: srtp_ssrc_type_t) -> srtp_t? {
            var policy = srtp_policy_t()
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
            policy.ssrc.type = ssrcType
            policy.window_size = 128
            var session: srtp_t?
            let status = key.withUnsafeMutableBufferPointer { buffer -> srtp_err_status_t in
                policy.key = buffer.baseAddress
                return srtp_create(&session, &policy)
            }
            return status == srtp_err_status_ok ? session : nil
        }
        let sender = try #require(makeSession(ssrc_any_outbound))
        let receiver = try #require(makeSession(ssrc_any_inbound))
        defer { srtp_dealloc(sender); srtp_dealloc(receiver) }

        let rtp: [UInt8] = [0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef] + [UInt8](repeating: 0xff, count: 160)
        var buffer = rtp + [UInt8](repeating: 0, count: Int(SRTP_MAX_TRAILER_LEN))
        var length = Int32(rtp.count)
        #expect(srtp_protect(sender, &buffer, &length) == srtp_err_status_ok)
        #expect(Int(length) == rtp.count + 10, "AES_CM_128_HMAC_SHA1_80 adds an 80-bit tag")
        #expect(Array(buffer[12..<Int(rtp.count)]) != Array(rtp[12...]), "payload is encrypted")
        #expect(srtp_unprotect(receiver, &buffer, &length) == srtp_err_status_ok)
        #expect(Array(buffer[0..<Int(length)]) == rtp)
    }
}
