import Foundation

/// Finds tones in 16-bit PCM with the Goertzel algorithm: the power of one
/// frequency, the RMS level, and the strongest frequency over a range. Used by
/// the interop probe and the tests to check audio by what is heard, not by
/// packet counts. Not shipped.
public enum ToneDetector {
    /// Goertzel power of `frequency` in `samples`.
    public static func power<Samples: Collection>(_ samples: Samples, frequency: Double, sampleRate: Int) -> Double
        where Samples.Element == Int16 {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var previous = 0.0, beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }

    /// Root-mean-square level.
    public static func rms<Samples: Collection>(_ samples: Samples) -> Double where Samples.Element == Int16 {
        guard !samples.isEmpty else { return 0 }
        let energy = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (energy / Double(samples.count)).squareRoot()
    }

    /// The strongest frequency between `low` and `high` (capped below Nyquist) in
    /// `step` Hz steps, with the RMS level of the same samples.
    public static func dominantFrequency<Samples: Collection>(
        _ samples: Samples, sampleRate: Int, from low: Double = 100, to high: Double = 3_400, step: Double = 10
    ) -> (frequency: Double, rms: Double) where Samples.Element == Int16 {
        guard !samples.isEmpty else { return (0, 0) }
        var best = (frequency: 0.0, power: 0.0)
        for frequency in stride(from: low, through: min(high, Double(sampleRate) / 2 - step), by: step) {
            let power = power(samples, frequency: frequency, sampleRate: sampleRate)
            if power > best.power { best = (frequency, power) }
        }
        return (best.frequency, rms(samples))
    }
}
