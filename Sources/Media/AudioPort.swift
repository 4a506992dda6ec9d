import Foundation

/// Where a media leg's decoded audio goes and where the audio it sends comes
/// from: one 20 ms frame of 16-bit mono PCM at the leg's sample rate each way.
/// Called only on the leg's event loop; implementations need no locks.
public protocol AudioPort: AnyObject {
    /// Fills the next frame to send (write silence when there is nothing to say:
    /// WhatsApp drops a call that receives no media).
    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>)
    /// Takes one decoded frame from the peer (or a concealed one after loss).
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>)
    /// The highest audio frequency, in Hz, the frames from `nextFrame` can hold
    /// (nil: as wide as the frame's rate allows). The leg's encoder codes no
    /// wider band than this: 4000 for a G.711 source, whatever the leg's rate.
    var highestAudioFrequency: Int? { get }
}

extension AudioPort {
    /// No limit: a port says otherwise only when it knows its source's band.
    public var highestAudioFrequency: Int? { nil }
}

/// Sends a sine tone and drops what it hears.
public final class TonePort: AudioPort {
    private let step: Double
    private let amplitude: Double
    private var phase = 0.0

    /// A tone of `frequency` Hz at `amplitude` (0…32767) for `sampleRate`.
    public init(frequency: Double, amplitude: Double = 8000, sampleRate: Int) {
        step = 2 * Double.pi * frequency / Double(sampleRate)
        self.amplitude = amplitude
    }

    /// Writes the next 20 ms of the tone.
    public func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        for i in frame.indices {
            frame[i] = Int16(amplitude * sin(phase))
            phase += step
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
        }
    }

    /// Drops what it hears.
    public func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}
}

/// Sends back what it hears, one frame later.
public final class EchoPort: AudioPort {
    private var last: [Int16]

    /// An echo for frames of `samplesPerFrame`.
    public init(samplesPerFrame: Int) {
        last = [Int16](repeating: 0, count: samplesPerFrame)
    }

    /// Writes the frame heard last.
    public func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        for i in frame.indices { frame[i] = i < last.count ? last[i] : 0 }
    }

    /// Keeps the frame to send it back next.
    public func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {
        for i in 0..<min(frame.count, last.count) { last[i] = frame[i] }
    }
}
