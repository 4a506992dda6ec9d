import Foundation

/// Goertzel scan for the strongest frequency (10 Hz steps) in the last half
/// second of PCM, and its RMS.
enum ToneDetector {
    static func dominantFrequency(_ samples: [Int16], sampleRate: Int) -> (frequency: Double, rms: Double) {
        let window = Array(samples.suffix(sampleRate / 2)).map(Double.init)
        guard !window.isEmpty else { return (0, 0) }
        let rms = (window.reduce(0) { $0 + $1 * $1 } / Double(window.count)).squareRoot()
        var best = (frequency: 0.0, power: 0.0)
        var frequency = 100.0
        while frequency <= min(3_400, Double(sampleRate) / 2 - 10) {
            let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
            var s1 = 0.0, s2 = 0.0
            for x in window {
                let s0 = x + coefficient * s1 - s2
                s2 = s1
                s1 = s0
            }
            let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
            if power > best.power { best = (frequency, power) }
            frequency += 10
        }
        return (best.frequency, rms)
    }
}
