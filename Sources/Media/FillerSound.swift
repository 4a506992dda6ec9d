import Codecs

/// What the WhatsApp user hears while the call has no business side (a blind
/// transfer's target ringing): the bridge generates it at the WhatsApp leg's
/// rate and the leg encodes it, so Meta keeps receiving a packet every 20 ms
/// on the call's one stream (same SSRC, sequence numbers and timestamps).
public enum FillerSound: Sendable {
    /// The national ringback tone (`[general] ringback_tone`).
    case ringback(RingbackTone)
    /// Silence (encoded as such; the stream does not pause).
    case silence
    /// Music on hold, looped.
    case music(HoldMusic)
}

/// Hold music as mono 16-bit PCM, looped while played. Where it comes from (a
/// file named in the configuration) is the caller's business: the bridge only
/// plays samples. `sampleRate` must divide or be divided by the WhatsApp leg's
/// rate (8, 16 or 48 kHz sources play on every leg); any other rate plays as
/// silence.
public struct HoldMusic: Sendable {
    /// The samples, played from the first and looped.
    public var samples: [Int16]
    /// Their rate in Hz.
    public var sampleRate: Int

    /// Music of `samples` at `sampleRate` Hz.
    public init(samples: [Int16], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }
}

/// Plays a `FillerSound` 20 ms at a time at the leg's rate. Loop-confined (the
/// bridge's); buffers are allocated when the filler starts, nothing per frame.
final class FillerPlayer {
    private let ringback: RingbackGenerator?
    private let music: [Int16]
    private let converter: RateConverter?
    /// One 20 ms chunk at the music's own rate, when it is converted.
    private let chunk: UnsafeMutableBufferPointer<Int16>
    private var position = 0

    init(_ sound: FillerSound, sampleRate: Int) {
        switch sound {
        case .ringback(let tone):
            ringback = RingbackGenerator(tone: tone, sampleRate: sampleRate)
            music = []
            converter = nil
        case .silence:
            ringback = nil
            music = []
            converter = nil
        case .music(let source):
            ringback = nil
            // Rates with an integer ratio to the leg's, up to 96 kHz (a 20 ms chunk fits the bridge's frame size).
            let rate = source.sampleRate
            let integerRatio = rate > 0 && max(rate, sampleRate) % min(rate, sampleRate) == 0
            let playable = (1...96_000).contains(rate) && integerRatio && (rate == sampleRate || RateConverter(from: rate, to: sampleRate) != nil)
            music = playable ? source.samples : []
            converter = playable ? RateConverter(from: rate, to: sampleRate) : nil
            chunk = .allocate(capacity: playable ? max(1, rate / 50) : 1)
            chunk.initialize(repeating: 0)
            return
        }
        chunk = .allocate(capacity: 1)
        chunk.initialize(repeating: 0)
    }

    deinit {
        chunk.deallocate()
    }

    /// Fills `frame` (20 ms at the leg's rate) with the next part of the sound.
    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        if let ringback {
            ringback.nextFrame(frame)
            return
        }
        guard !music.isEmpty else {
            frame.update(repeating: 0)
            return
        }
        let source = converter == nil ? frame : chunk
        for index in source.indices {
            source[index] = music[position]
            position = (position + 1) % music.count
        }
        if let converter { _ = converter.convert(UnsafeBufferPointer(chunk), into: frame) }
    }
}
