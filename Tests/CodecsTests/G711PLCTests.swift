import Testing
@testable import Codecs

/// spandsp PLC through `G711PLC`, and the G.711 codec it sits behind.
@Suite struct G711PLCTests {
    @Test func fillInProducesAFullFrameContinuingTheTone() throws {
        let plc = try G711PLC()
        let input = ToneAnalysis.tone(frequency: 1000, sampleRate: 8000, count: 160 * 5)
        var history = input
        history.withUnsafeMutableBufferPointer { all in
            for index in 0..<5 {
                plc.received(UnsafeMutableBufferPointer(rebasing: all[(index * 160)..<((index + 1) * 160)]))
            }
        }
        var filled = [Int16](repeating: 0, count: 160)
        let count = filled.withUnsafeMutableBufferPointer { plc.fillIn($0) }
        #expect(count == 160)
        #expect(ToneAnalysis.rms(filled[...]) > 0.5 * ToneAnalysis.rms(input[...]))
        #expect(ToneAnalysis.peakFrequency(filled[...], sampleRate: 8000) == 1000)
    }

    @Test func longLossFadesOut() throws {
        let plc = try G711PLC()
        var input = ToneAnalysis.tone(frequency: 500, sampleRate: 8000, count: 480)
        _ = input.withUnsafeMutableBufferPointer { plc.received($0) }
        var frame = [Int16](repeating: 0, count: 160)
        var levels: [Double] = []
        for _ in 0..<8 {
            frame.withUnsafeMutableBufferPointer { _ = plc.fillIn($0) }
            levels.append(ToneAnalysis.rms(frame[...]))
        }
        #expect(levels[0] > 1000)
        #expect(levels[7] < levels[0] / 4)
    }

    @Test func g711RoundTripKeepsTheTone() throws {
        for law in [G711Codec.Law.ulaw, .alaw] {
            let codec = try G711Codec(law)
            let input = ToneAnalysis.tone(frequency: 1000, sampleRate: 8000, count: 160)
            var bytes = [UInt8](repeating: 0, count: 160)
            var output = [Int16](repeating: 0, count: 160)
            _ = input.withUnsafeBufferPointer { pcm in bytes.withUnsafeMutableBufferPointer { codec.encode(pcm, into: $0) } }
            _ = bytes.withUnsafeBytes { coded in output.withUnsafeMutableBufferPointer { codec.decode(coded, into: $0) } }
            #expect(abs(ToneAnalysis.gainDB(input: input[...], output: output[...])) < 0.5)
        }
    }
}
