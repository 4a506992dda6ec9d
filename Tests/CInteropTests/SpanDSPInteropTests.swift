import CSpanDSP
import Foundation
import Testing

/// spandsp G.711: µ-law encode then decode stays within the codec's error.
@Suite struct SpanDSPInteropTests {
    @Test func g711MuLawRoundTrip() throws {
        let state = try #require(g711_init(nil, Int32(G711_ULAW)))
        defer { g711_free(state) }
        let pcm: [Int16] = (0..<160).map { (n: Int) -> Int16 in
            let phase: Double = 2.0 * Double.pi * 440.0 * Double(n) / 8000.0
            return Int16(10_000.0 * sin(phase))
        }
        var encoded = [UInt8](repeating: 0, count: 160)
        #expect(g711_encode(state, &encoded, pcm, 160) == 160)
        #expect(encoded[0] == linear_to_ulaw(Int32(pcm[0])))
        var decoded = [Int16](repeating: 0, count: 160)
        #expect(g711_decode(state, &decoded, encoded, 160) == 160)
        for (a, b) in zip(pcm, decoded) { #expect(abs(Int(a) - Int(b)) <= 700) }
    }
}
