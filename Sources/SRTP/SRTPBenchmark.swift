import CSRTP

/// Per-packet cost of `SRTPSession` next to raw libsrtp on the same keys, for
/// `make bench` (which cannot import CSRTP itself: only this module does).
/// Each phase protects (or unprotects) `iterations` packets with increasing
/// sequence numbers in a preallocated arena; only the libsrtp or session calls
/// are inside the timed loops.
public enum SRTPBenchmark {
    /// Mean time per packet, in nanoseconds.
    public struct Result: Sendable, Hashable {
        /// `SRTPSession.protectRTP`.
        public var sessionProtect: Double
        /// `SRTPSession.unprotectRTP`.
        public var sessionUnprotect: Double
        /// `srtp_protect` called directly.
        public var rawProtect: Double
        /// `srtp_unprotect` called directly.
        public var rawUnprotect: Double
    }

    /// Measures one profile.
    /// - Parameters:
    ///   - payloadSize: RTP payload bytes (e.g. 80 for 20 ms of Opus at 32 kbit/s).
    ///   - iterations: packets per phase (≤ 30,000, within one sequence-number cycle).
    public static func measure(profile: SRTPProfile, payloadSize: Int = 160, iterations: Int = 10_000) throws(SRTPError) -> Result {
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
        let rawSender = try SRTPContext(profile: profile, key: key, salt: salt, direction: .outbound, replayWindow: 1024)
        let rawReceiver = try SRTPContext(profile: profile, key: key, salt: salt, direction: .inbound, replayWindow: 1024)
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
