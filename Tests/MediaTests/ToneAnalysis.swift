import TestSupport

/// The tone check the media tests use: the strongest frequency (10 Hz steps)
/// and RMS of the last half second, by `Codecs.ToneDetector`.
enum ToneAnalysis {
    static func dominantFrequency(_ samples: [Int16], sampleRate: Int, from low: Double = 100,
                                  to high: Double = 3_400) -> (frequency: Double, rms: Double) {
        ToneDetector.dominantFrequency(samples.suffix(sampleRate / 2), sampleRate: sampleRate, from: low, to: high)
    }
}
