import Foundation

/// Finds the dominant frequency of PCM with a Goertzel scan (10 Hz steps), and its RMS.
enum ToneAnalysis {
    static func dominantFrequency(_ samples: [Int16], sampleRate: Int, from low: Double = 100,
                                  to high: Double = 3_400) -> (frequency: Double, rms: Double) {
        let window = Array(samples.suffix(sampleRate / 2)).map(Double.init)
        guard !window.isEmpty else { return (0, 0) }
        let rms = (window.reduce(0) { $0 + $1 * $1 } / Double(window.count)).squareRoot()
        var best = (frequency: 0.0, power: 0.0)
        var f = low
        while f <= min(high, Double(sampleRate) / 2 - 10) {
            let power = goertzel(window, frequency: f, sampleRate: Double(sampleRate))
            if power > best.power { best = (f, power) }
            f += 10
        }
        return (best.frequency, rms)
    }

    static func goertzel(_ x: [Double], frequency: Double, sampleRate: Double) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var s1 = 0.0, s2 = 0.0
        for sample in x {
            let s0 = sample + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2
    }
}
