import SRTP
import Testing

/// Known answers: libsrtp's output for fixed keys and packets must equal an
/// independent implementation (Vectors/srtp_vectors.py, Python `cryptography`),
/// which itself reproduces RFC 3711 Appendix B.2 (AES-CM) and B.3 (key
/// derivation) — the derivation libsrtp's public API cannot expose directly.
@Suite struct SRTPKnownAnswerTests {
    /// Master key 01…10 and salt 21…2E (GCM: the first 12 salt bytes).
    static let key = Array(UInt8(1)...UInt8(16))
    static let salt = Array(UInt8(0x21)...UInt8(0x2E))
    /// RTP: V=2, PT 0, seq 0x1234, ts 123456, SSRC CAFEBABE, 20 payload bytes A0…B3.
    static let rtp = hex("800012340001E240CAFEBABE") + Array(UInt8(0xA0)...UInt8(0xB3))
    /// RTCP receiver report header, SSRC CAFEBABE, one report block.
    static let rtcp = hex("81C90007CAFEBABEDEADBEEF" + String(repeating: "0", count: 40))

    static func session(_ profile: SRTPProfile) throws -> SRTPSession {
        let salt = Array(Self.salt.prefix(profile.saltLength))
        return try SRTPSession(profile: profile, localKey: key, localSalt: salt, remoteKey: key, remoteSalt: salt)
    }

    @Test(arguments: [
        (SRTPProfile.aesCM128HMACSHA1_80,
         "800012340001e240cafebabec726181ae6b14fbcbd698c3ff8cfe22bf4eb397bd514d646371ab0f02576"),
        (SRTPProfile.aesCM128HMACSHA1_32,
         "800012340001e240cafebabec726181ae6b14fbcbd698c3ff8cfe22bf4eb397bd514d646"),
        (SRTPProfile.aeadAES128GCM,
         "800012340001e240cafebabe64502b97b0475d98d3b62e33538571e7a370b947022dc9853e451523e556aa7aa26a3dac"),
    ])
    func rtpMatchesIndependentImplementation(profile: SRTPProfile, expected: String) throws {
        let session = try Self.session(profile)
        var packet = Self.rtp
        try session.protectRTP(&packet)
        #expect(packet == hex(expected))
        try session.unprotectRTP(&packet)
        #expect(packet == Self.rtp)
    }

    @Test(arguments: [
        (SRTPProfile.aesCM128HMACSHA1_80,
         "81c90007cafebabec747d2027fd26feea2fcc7ec7f979531d2bc85ee44d528e880000001a7e8cd6a6cfc90971c84"),
        (SRTPProfile.aeadAES128GCM,
         "81c90007cafebabef3030920a7fc9eebdda05fb8d1de6c41851dbd7ae9077b7d9045fcd25dc62cd3ff4c6a84f961874280000001"),
    ])
    func rtcpMatchesIndependentImplementation(profile: SRTPProfile, expected: String) throws {
        let session = try Self.session(profile)
        var packet = Self.rtcp
        try session.protectRTCP(&packet)
        #expect(packet == hex(expected))
        try session.unprotectRTCP(&packet)
        #expect(packet == Self.rtcp)
    }
}

/// Bytes from hex digits (test fixtures only).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).map {
        UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)!
    }
}
