import COpus
import COpusShims
import Foundation
import Testing

/// One real round trip through libopus: a 1 kHz tone encoded and decoded at 8 kHz.
@Suite struct OpusInteropTests {
    @Test func encoderAndDecoderRoundTripATone() throws {
        var error: Int32 = 0
        let encoder = try #require(opus_encoder_create(8000, 1, OPUS_APPLICATION_VOIP, &error))
        defer { opus_encoder_destroy(encoder) }
        #expect(error == OPUS_OK)
        #expect(opus_shim_set_complexity(encoder, 5) == OPUS_OK)
        #expect(opus_shim_set_bitrate(encoder, 24_000) == OPUS_OK)
        var complexity: Int32 = -1
        #expect(opus_shim_get_complexity(encoder, &complexity) == OPUS_OK)
        #expect(complexity == 5)

        let decoder = try #require(opus_decoder_create(8000, 1, &error))
        defer { opus_decoder_destroy(decoder) }

        let samples: [Int16] = (0..<160).map { (n: Int) -> Int16 in
            let phase: Double = 2.0 * Double.pi * 1000.0 * Double(n) / 8000.0
            return Int16(8000.0 * sin(phase))
        }
        var packet = [UInt8](repeating: 0, count: 400)
        var decoded = [Int16](repeating: 0, count: 160)
        var lastDecoded = 0
        for _ in 0..<5 {
            let bytes = opus_encode(encoder, samples, 160, &packet, Int32(packet.count))
            #expect(bytes > 0)
            lastDecoded = Int(opus_decode(decoder, packet, bytes, &decoded, 160, 0))
        }
        #expect(lastDecoded == 160)
        let energy = decoded.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(energy > 0, "decoded audio should not be silent")
    }
}
