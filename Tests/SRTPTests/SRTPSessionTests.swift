import SRTP
import Testing

/// Round trips, tampering, replay and key validation through libsrtp.
@Suite struct SRTPSessionTests {
    static let keyA = (0..<46).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    static let keyB = (0..<46).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) }

    /// Two sessions facing each other: A's local key is B's remote key.
    static func pair(_ profile: SRTPProfile) throws -> (SRTPSession, SRTPSession) {
        let length = profile.keyLength + profile.saltLength
        let a = Array(keyA.prefix(length)), b = Array(keyB.prefix(length))
        return (try SRTPSession(profile: profile, localKeyAndSalt: a, remoteKeyAndSalt: b),
                try SRTPSession(profile: profile, localKeyAndSalt: b, remoteKeyAndSalt: a))
    }

    static func rtp(sequence: UInt16, payload: Int = 160) -> [UInt8] {
        [0x80, 111, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x10, 0, 0x11, 0x22, 0x33, 0x44]
            + (0..<payload).map { UInt8(truncatingIfNeeded: $0) }
    }

    static let rtcp: [UInt8] = [0x80, 200, 0, 6, 0x11, 0x22, 0x33, 0x44] + [UInt8](repeating: 0x5A, count: 20)

    @Test(arguments: SRTPProfile.allCases)
    func rtpAndRTCPRoundTrip(profile: SRTPProfile) throws {
        let (a, b) = try Self.pair(profile)
        for sequence in UInt16(1)...5 {
            let plain = Self.rtp(sequence: sequence)
            var packet = plain
            try a.protectRTP(&packet)
            #expect(packet.count == plain.count + profile.rtpTrailerLength)
            #expect(packet != plain)
            try b.unprotectRTP(&packet)
            #expect(packet == plain)
        }
        var report = Self.rtcp
        try b.protectRTCP(&report)
        #expect(report.count == Self.rtcp.count + profile.rtcpTrailerLength)
        try a.unprotectRTCP(&report)
        #expect(report == Self.rtcp)
        #expect(a.stats.rtpProtected == 5 && b.stats.rtpUnprotected == 5)
        #expect(b.stats.rtcpProtected == 1 && a.stats.rtcpUnprotected == 1 && a.stats.failures == 0)
    }

    @Test(arguments: SRTPProfile.allCases)
    func tamperedPacketFailsAuthenticationAndIsCounted(profile: SRTPProfile) throws {
        let (a, b) = try Self.pair(profile)
        var packet = Self.rtp(sequence: 7)
        try a.protectRTP(&packet)
        packet[20] ^= 0x01
        #expect(throws: SRTPError.self) { try b.unprotectRTP(&packet) }
        var report = Self.rtcp
        try a.protectRTCP(&report)
        report[10] ^= 0x80
        #expect(throws: SRTPError.self) { try b.unprotectRTCP(&report) }
        #expect(b.stats.authenticationFailures == 2)
        #expect(b.stats.rtpUnprotected == 0)
    }

    @Test(arguments: SRTPProfile.allCases)
    func replayedPacketIsRefusedAndCounted(profile: SRTPProfile) throws {
        let (a, b) = try Self.pair(profile)
        var packet = Self.rtp(sequence: 100)
        try a.protectRTP(&packet)
        let copy = packet
        try b.unprotectRTP(&packet)
        var replay = copy
        do {
            try b.unprotectRTP(&replay)
            Issue.record("replay accepted")
        } catch {
            #expect(error.kind == .replayed)
        }
        #expect(b.stats.replays == 1)
        #expect(replay == copy)
    }

    @Test func inPlaceOnARawBufferWithTrailerRoom() throws {
        let (a, b) = try Self.pair(.aesCM128HMACSHA1_80)
        let plain = Self.rtp(sequence: 9)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1500, alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: plain)
        let protected = try a.protectRTP(buffer, length: plain.count)
        #expect(protected == plain.count + 10)
        let unprotected = try b.unprotectRTP(buffer, length: protected)
        #expect(Array(buffer[0..<unprotected]) == plain)
        // No trailer room: refused and counted, the packet untouched.
        let tight = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<plain.count])
        #expect(throws: SRTPError.self) { try a.protectRTP(tight, length: plain.count) }
        #expect(a.stats.otherFailures == 1)
        #expect(Array(buffer[0..<plain.count]) == plain)
    }

    @Test func wrongKeyLengthsAreRefused() {
        #expect(throws: SRTPError.self) {
            try SRTPSession(profile: .aesCM128HMACSHA1_80, localKeyAndSalt: Array(Self.keyA.prefix(28)), remoteKeyAndSalt: Array(Self.keyB.prefix(30)))
        }
        #expect(throws: SRTPError.self) {
            try SRTPSession(profile: .aeadAES128GCM, localKey: Array(Self.keyA.prefix(16)), localSalt: Array(Self.keyA.prefix(14)),
                            remoteKey: Array(Self.keyB.prefix(16)), remoteSalt: Array(Self.keyB.prefix(12)))
        }
    }

    @Test func profileNames() {
        #expect(SRTPProfile(sdesSuite: "AES_CM_128_HMAC_SHA1_32") == .aesCM128HMACSHA1_32)
        #expect(SRTPProfile(sdesSuite: "AES_256_CM_HMAC_SHA1_80") == .aesCM256HMACSHA1_80)
        #expect(SRTPProfile.aesCM256HMACSHA1_80.keyLength + SRTPProfile.aesCM256HMACSHA1_80.saltLength == 46)
        #expect(SRTPProfile(protectionProfileID: 0x0007) == .aeadAES128GCM)
        #expect(SRTPProfile(protectionProfileID: 0x0008) == nil)
    }
}
