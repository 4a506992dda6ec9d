// Test support: a tone source that records what it hears. Not shipped.

public import Media

/// Sends a tone and keeps what it hears (up to a limit), for tests and the
/// interop probe; `changes` is notified at every frame heard, so a test can wait
/// for enough audio instead of sleeping.
public final class ToneRecorderPort: AudioPort {
    private let tone: TonePort
    private let limit: Int
    /// Notified after each frame received.
    public let changes: ChangeSignal
    /// Every sample received so far (up to the limit).
    public private(set) var recorded: [Int16] = []

    /// Sends `frequency` Hz and records up to `maxSamples` samples, notifying `changes`.
    public init(frequency: Double, sampleRate: Int, maxSamples: Int, changes: ChangeSignal = ChangeSignal()) {
        tone = TonePort(frequency: frequency, sampleRate: sampleRate)
        limit = maxSamples
        self.changes = changes
        recorded.reserveCapacity(maxSamples)
    }

    /// The next frame of the tone.
    public func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        tone.nextFrame(frame)
    }

    /// Keeps the frame (up to the limit) and notifies `changes`.
    public func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {
        let room = limit - recorded.count
        if room > 0 { recorded.append(contentsOf: frame.prefix(room)) }
        changes.notify()
    }
}
