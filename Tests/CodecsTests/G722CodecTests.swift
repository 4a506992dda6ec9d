import Testing
@testable import Codecs

/// spandsp G.722 at 64 kbit/s through `G722Codec`.
@Suite struct G722CodecTests {
    @Test func toneRoundTripsAtTheSameFrequencyAndLevel() throws {
        let codec = try G722Codec()
        let frame = 320                                  // 20 ms at 16 kHz
        let input = ToneAnalysis.tone(frequency: 1000, sampleRate: G722Codec.sampleRate, count: 15 * frame)
        var output: [Int16] = []
        var bytes = [UInt8](repeating: 0, count: frame / 2)
        var decoded = [Int16](repeating: 0, count: frame)
        for index in 0..<15 {
            let encodedCount = input.withUnsafeBufferPointer { pcm in
                bytes.withUnsafeMutableBufferPointer { codec.encode(UnsafeBufferPointer(rebasing: pcm[(index * frame)..<((index + 1) * frame)]), into: $0) }
            }
            #expect(encodedCount == 160)                 // 160 bytes = 160 RTP clock ticks at 8000 Hz
            let decodedCount = bytes.withUnsafeBytes { coded in decoded.withUnsafeMutableBufferPointer { codec.decode(coded, into: $0) } }
            #expect(decodedCount == frame)
            output += decoded
        }
        let start = 1600                                 // 100 ms: past the QMF delay
        #expect(ToneAnalysis.peakFrequency(output[start...], sampleRate: 16_000) == 1000)
        let gain = ToneAnalysis.gainDB(input: input[start...], output: output[start...])
        #expect(abs(gain) < 3, "level changed by \(gain) dB")
    }

    @Test func rtpConstants() {
        #expect(G722Codec.payloadType == 9)
        #expect(G722Codec.rtpClockRate == 8000)
        #expect(G722Codec.sampleRate == 16_000)
    }
}
