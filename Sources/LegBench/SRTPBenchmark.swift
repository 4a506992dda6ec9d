import CSRTP
import SRTP

/// Per-packet cost of `SRTPSession` next to raw libsrtp on the same keys
/// (AES_CM_128_HMAC_SHA1_80, the profile WhatsApp uses). The benchmark is the
/// one tool that calls libsrtp itself: the product reaches it only through the
/// SRTP module. Each phase protects (or unprotects) `iterations` packets with
/// increasing sequence numbers in a preallocated arena; only the libsrtp or
/// session calls are inside the timed loops.
enum SRTPBenchmark {
    /// Mean time per packet, in nanoseconds.
    struct Result: Sendable, Hashable {
        /// `SRTPSession.protectRTP`.
        var sessionProtect: Double
        /// `SRTPSession.unprotectRTP`.
        var sessionUnprotect: Double
        /// `srtp_protect` called directly.
        var rawProtect: Double
        /// `srtp_unprotect` called directly.
        var rawUnprotect: Double
    }

    /// Measures one profile.
    /// - Parameters:
    ///   - payloadSize: RTP payload bytes (e.g. 80 for 20 ms of Opus at 32 kbit/s).
    ///   - iterations: packets per phase (≤ 30,000, within one sequence-number cycle).
    static func measure(payloadSize: Int = 160, iterations: Int = 10_000) throws -> Result {
        let profile = SRTPProfile.aesCM128HMACSHA1_80
        let count = max(1, min(iterations, 30_000))
        let key = [UInt8](repeating: 0x42, count: profile.keyLength), salt = [UInt8](repeating: 0x24, count: profile.saltLength)
        let stride = 12 + payloadSize + SRTPSession.maximumTrailerLength
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * count, alignment: 16)
        defer { arena.deallocate() }
        func fill() {
            for index in 0..<count {
                let packet = UnsafeMutableRawBufferPointer(rebasing: arena[index * stride..<(index + 1) * stride])
                packet.initializeMemory(as: UInt8.self, repeating: 0xA5)
                let header: [UInt8] = [0x80, 111, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0, 0, 0, 0, 1, 2, 3, 4]
                packet.copyBytes(from: header)
            }
        }
        let clock = ContinuousClock()
        let sender = try SRTPSession(profile: profile, localKey: key, localSalt: salt, remoteKey: key, remoteSalt: salt)
        let receiver = try SRTPSession(profile: profile, localKey: key, localSalt: salt, remoteKey: key, remoteSalt: salt)
        var lengths = [Int](repeating: 12 + payloadSize, count: count)
        fill()
        let sessionProtect = try time(clock) { () throws(SRTPError) in
            for index in 0..<count {
                let packet = UnsafeMutableRawBufferPointer(rebasing: arena[index * stride..<(index + 1) * stride])
                lengths[index] = try sender.protectRTP(packet, length: 12 + payloadSize)
            }
        }
        let sessionUnprotect = try time(clock) { () throws(SRTPError) in
            for index in 0..<count {
                let packet = UnsafeMutableRawBufferPointer(rebasing: arena[index * stride..<(index + 1) * stride])
                _ = try receiver.unprotectRTP(packet, length: lengths[index])
            }
        }
        let rawSender = try RawContext(keyAndSalt: key + salt, outbound: true)
        let rawReceiver = try RawContext(keyAndSalt: key + salt, outbound: false)
        fill()
        let rawProtect = clock.measure {
            for index in 0..<count {
                var length = Int32(12 + payloadSize)
                _ = srtp_protect(rawSender.session, arena.baseAddress! + index * stride, &length)
                lengths[index] = Int(length)
            }
        }
        let rawUnprotect = clock.measure {
            for index in 0..<count {
                var length = Int32(lengths[index])
                _ = srtp_unprotect(rawReceiver.session, arena.baseAddress! + index * stride, &length)
            }
        }
        func time(_ clock: ContinuousClock, _ body: () throws(SRTPError) -> Void) throws(SRTPError) -> Duration {
            let start = clock.now
            try body()
            return clock.now - start
        }
        func perPacket(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9) / Double(count)
        }
        return Result(
            sessionProtect: perPacket(sessionProtect), sessionUnprotect: perPacket(sessionUnprotect),
            rawProtect: perPacket(rawProtect), rawUnprotect: perPacket(rawUnprotect))
    }
}

/// One libsrtp session with the default AES_CM_128_HMAC_SHA1_80 policy, created
/// after an `SRTPSession` has initialised the library.
private final class RawContext {
    struct Failed: Error {}

    let session: OpaquePointer

    init(keyAndSalt: [UInt8], outbound: Bool) throws {
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = 1024
        var material = keyAndSalt
        var created: OpaquePointer?
        let status = material.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&created, &policy)
        }
        guard status == srtp_err_status_ok, let created else { throw Failed() }
        session = created
    }

    deinit {
        srtp_dealloc(session)
    }
}
