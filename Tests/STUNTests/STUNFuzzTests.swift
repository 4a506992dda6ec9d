import STUN
import TestSupport
import Testing

/// Bounded fuzzing with a fixed seed: random and mutated datagrams never crash
/// the parser, the decoder or the checks.
@Suite struct STUNFuzzTests {
    @Test func randomAndMutatedInputNeverCrash() throws {
        var generator = SplitMix64(seed: 0x5354_554E)
        let key = STUNIntegrityKey(shortTermPassword: "VOkJxbRl1RmTxUk/WvJxBt")
        let seeds = [RFC5769Tests.request, RFC5769Tests.ipv4Response, RFC5769Tests.ipv6Response, RFC5769Tests.longTermRequest]
        var parsed = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = seeds[Int(generator.next() % 4)]
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                if generator.next() % 4 == 0 {
                    bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1))))
                }
            } else {
                let count = Int(generator.next() % 96)
                bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                if count >= 8 {
                    bytes[0] &= 0x01
                    bytes[4...7] = [0x21, 0x12, 0xA4, 0x42]
                    bytes[2] = UInt8((count - 20) >> 8 & 0xFF)
                    bytes[3] = UInt8(max(0, count - 20) & 0xFF)
                }
            }
            _ = isSTUN(bytes)
            guard let packet = try? STUNPacket(parsing: bytes) else { continue }
            parsed += 1
            _ = try? STUNMessage(packet)
            _ = packet.isAuthentic(key: key)
            _ = (packet.username, packet.priority, packet.xorMappedAddress, packet.errorCode, packet.iceControlling)
            _ = packet.unknownComprehensionRequired
        }
        #expect(parsed > 100)
    }
}
