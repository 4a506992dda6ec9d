import Foundation
import TestSupport

/// Test signals and a Goertzel tone detector for the codec tests.
enum ToneAnalysis {
    /// `count` samples of a sine at `frequency` Hz, `amplitude` peak, starting at sample `offset`.
    static func tone(frequency: Double, sampleRate: Int, count: Int, amplitude: Double = 8000, offset: Int = 0) -> [Int16] {
        (0..<count).map { index in
            Int16(amplitude * sin(2 * Double.pi * frequency * Double(index + offset) / Double(sampleRate)))
        }
    }

    /// Root-mean-square level.
    static func rms(_ samples: ArraySlice<Int16>) -> Double { ToneDetector.rms(samples) }

    /// Goertzel power of `frequency` in `samples`.
    static func power(_ samples: ArraySlice<Int16>, frequency: Double, sampleRate: Int) -> Double {
        ToneDetector.power(samples, frequency: frequency, sampleRate: sampleRate)
    }

    /// The strongest frequency among 100 Hz steps from 200 Hz to 200 Hz below Nyquist.
    static func peakFrequency(_ samples: ArraySlice<Int16>, sampleRate: Int) -> Double {
        let candidates = stride(from: 200.0, through: Double(sampleRate / 2 - 200), by: 100)
        return candidates.max { power(samples, frequency: $0, sampleRate: sampleRate) < power(samples, frequency: $1, sampleRate: sampleRate) }!
    }

    /// Output level relative to input level, in dB.
    static func gainDB(input: ArraySlice<Int16>, output: ArraySlice<Int16>) -> Double {
        20 * log10(rms(output) / rms(input))
    }
}
