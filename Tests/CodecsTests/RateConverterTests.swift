import Foundation
import Testing
@testable import Codecs

/// speexdsp's resampler through `RateConverter`, 20 ms at a time as the bridge uses it.
@Suite struct RateConverterTests {
    /// `input` converted one 20 ms frame at a time; every frame must come out whole.
    private static func convertByFrames(_ input: [Int16], from inputRate: Int, to outputRate: Int) throws -> [Int16] {
        let converter = try #require(RateConverter(from: inputRate, to: outputRate))
        let inFrame = inputRate / 50, outFrame = converter.outputCount(for: inFrame)
        #expect(outFrame == outputRate / 50)
        var output: [Int16] = []
        var frame = [Int16](repeating: 0, count: outFrame)
        for start in stride(from: 0, to: input.count, by: inFrame) {
            let written = input.withUnsafeBufferPointer { all in
                frame.withUnsafeMutableBufferPointer { converter.convert(UnsafeBufferPointer(rebasing: all[start..<(start + inFrame)]), into: $0) }
            }
            #expect(written == outFrame)
            output += frame
        }
        return output
    }

    /// Amplitude and phase of `frequency` in `samples` (least squares over whole cycles), and the largest sample of what is left.
    private static func fit(_ samples: ArraySlice<Int16>, frequency: Double, sampleRate: Int) -> (amplitude: Double, worstResidual: Double) {
        let values = samples.map(Double.init)
        var cosine = 0.0, sine = 0.0
        for (index, value) in values.enumerated() {
            let phase = 2 * Double.pi * frequency * Double(index) / Double(sampleRate)
            cosine += value * cos(phase)
            sine += value * sin(phase)
        }
        let a = 2 * cosine / Double(values.count), b = 2 * sine / Double(values.count)
        var worst = 0.0
        for (index, value) in values.enumerated() {
            let phase = 2 * Double.pi * frequency * Double(index) / Double(sampleRate)
            worst = max(worst, abs(value - a * cos(phase) - b * sin(phase)))
        }
        return ((a * a + b * b).squareRoot(), worst)
    }

    @Test(arguments: [(8_000, 48_000, 1_000.0), (48_000, 8_000, 1_000.0), (8_000, 16_000, 3_000.0), (16_000, 8_000, 3_000.0),
                      (16_000, 48_000, 6_000.0), (48_000, 16_000, 700.0)])
    func toneKeepsItsFrequencyAndLevelWithoutClicksAtFrameBoundaries(from inputRate: Int, to outputRate: Int, frequency: Double) throws {
        let input = (0..<(inputRate / 2)).map { Int16(8_000 * sin(2 * Double.pi * frequency * Double($0) / Double(inputRate))) }
        let output = try Self.convertByFrames(input, from: inputRate, to: outputRate)
        #expect(output.count == outputRate / 2)
        // After 100 ms of settling, 200 ms (whole cycles of every tone here): the same tone at the same
        // level, and nothing else anywhere (a discontinuity at a frame boundary would leave a residual spike).
        let window = output[(outputRate / 10)..<(outputRate * 3 / 10)]
        let tone = Self.fit(window, frequency: frequency, sampleRate: outputRate)
        #expect(abs(20 * log10(tone.amplitude / 8_000)) < 0.5, "level \(tone.amplitude)")
        #expect(tone.worstResidual < 8, "residual up to \(tone.worstResidual) against an 8000 tone")
        #expect(ToneAnalysis.peakFrequency(window, sampleRate: outputRate) == frequency)
    }

    @Test func downsamplingRemovesWhatTheLowerRateCannotCarry() throws {
        // A 6 kHz tone at 48 kHz would alias to 2 kHz at 8 kHz: the filter takes it out instead.
        let input = (0..<24_000).map { Int16(8_000 * sin(2 * Double.pi * 6_000 * Double($0) / 48_000)) }
        let output = try Self.convertByFrames(input, from: 48_000, to: 8_000)
        let alias = Self.fit(output[800..<2_400], frequency: 2_000, sampleRate: 8_000)
        #expect(alias.amplitude < 8)  // below −60 dB
    }

    @Test func framesConvertAsOneStream() throws {
        let input = (0..<1_600).map { Int16(truncatingIfNeeded: ($0 * 7_919) % 20_000 - 10_000) }
        let byFrames = try Self.convertByFrames(input, from: 8_000, to: 48_000)
        let whole = try #require(RateConverter(from: 8_000, to: 48_000))
        var once = [Int16](repeating: 0, count: 9_600)
        let written = input.withUnsafeBufferPointer { p in once.withUnsafeMutableBufferPointer { whole.convert(p, into: $0) } }
        #expect(written == 9_600)
        #expect(byFrames == once)
    }

    @Test func refusesWhatItCannotConvert() {
        #expect(RateConverter(from: 8_000, to: 8_000) == nil)
        #expect(RateConverter(from: 0, to: 8_000) == nil)
        #expect(RateConverter(from: 8_000, to: -1) == nil)
        #expect(RateConverter(from: 8_000, to: 48_000, quality: 11) == nil)
        let converter = RateConverter(from: 8_000, to: 48_000)
        #expect(converter?.convert(UnsafeBufferPointer(start: nil, count: 0), into: UnsafeMutableBufferPointer(start: nil, count: 0)) == 0)
    }
}
