import TestSupport

/// Waiting for a tone to be heard, instead of for an amount of wall-clock time:
/// on a loaded machine a sender's timer can stall for hundreds of milliseconds,
/// and the half second a test reads back may hold that stall. A test waits for
/// the first half second that carries the tone and analyses that window.
extension BridgedCall {
    /// How long a test waits for media to reach a state. A healthy call gets there
    /// in about a second; the rest is room for a machine busy with a parallel run.
    static let mediaDeadline: Duration = .seconds(20)

    /// Samples the user's recorder keeps: long enough for `mediaDeadline` of audio.
    static let userRecordingLimit = userRate * 40

    /// Waits until the last half second the user heard is a steady `frequency`
    /// tone, and returns that half second (empty when the deadline passed).
    func userToneWindow(frequency: Double, sampleRate: Int = userRate, timeout: Duration = mediaDeadline) async -> [Int16] {
        let window = Locked<[Int16]>([])
        let checked = Locked(0)
        _ = await userChanges.wait(timeout: timeout) {
            let heard = (try? await userHeard()) ?? []
            // Checked once per 100 ms of new audio: the check costs a pass over half a second.
            guard heard.count >= max(checked.current + sampleRate / 10, sampleRate / 2) else { return false }
            checked.withValue { $0 = heard.count }
            let last = Array(heard.suffix(sampleRate / 2))
            guard ToneCheck.isSteadyTone(last, frequency: frequency, sampleRate: sampleRate) else { return false }
            window.withValue { $0 = last }
            return true
        }
        return window.current
    }

    /// Waits until the last half second the SIP endpoint decoded is a steady
    /// `frequency` tone, and returns that half second (empty when the deadline passed).
    func endpointToneWindow(frequency: Double, sampleRate: Int, timeout: Duration = mediaDeadline) async -> [Int16] {
        let window = Locked<[Int16]>([])
        let checked = Locked(0)
        _ = await endpoint.wait(timeout: timeout) { received in
            // Checked once per 100 ms of new audio, however many packets each wake brings.
            guard received.pcm.count >= max(checked.current + sampleRate / 10, sampleRate / 2) else { return false }
            checked.withValue { $0 = received.pcm.count }
            let last = Array(received.pcm.suffix(sampleRate / 2))
            guard ToneCheck.isSteadyTone(last, frequency: frequency, sampleRate: sampleRate) else { return false }
            window.withValue { $0 = last }
            return true
        }
        return window.current
    }
}

/// A cheap test for "this window is one steady tone": the Goertzel power at the
/// frequency holds most of the window's energy (a pure tone on the bin scores
/// 1; a window half silent scores 0.5), and the level is speech-like.
enum ToneCheck {
    static func isSteadyTone(_ samples: [Int16], frequency: Double, sampleRate: Int) -> Bool {
        let energy = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        guard energy > 0, ToneDetector.rms(samples) > 1000 else { return false }
        let power = ToneDetector.power(samples, frequency: frequency, sampleRate: sampleRate)
        return 2 * power / (Double(samples.count) * energy) >= 0.8
    }
}
