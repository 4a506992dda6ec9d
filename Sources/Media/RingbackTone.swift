import Foundation

/// The ringback tone a caller hears while the WhatsApp user's phone rings, when
/// wagate provides early media itself (`early_media = ringback`): the national
/// tone plans Asterisk's `indications.conf` carries for the three most asked-for
/// regions, at about −13 dBm0 per frequency (ITU-T E.180 §2).
public enum RingbackTone: String, Sendable, CaseIterable {
    /// North America: 440 + 480 Hz, 2 s on, 4 s off.
    case us
    /// United Kingdom: 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
    case uk
    /// Europe (ITU-T E.180 and most of CEPT): 425 Hz, 1 s on, 4 s off.
    case eu

    /// The frequencies played together, Hz.
    public var frequencies: [Double] {
        switch self {
        case .us: return [440, 480]
        case .uk: return [400, 450]
        case .eu: return [425]
        }
    }

    /// The cadence: alternating on and off segments in ms, starting with on; repeats.
    public var cadenceMs: [Int] {
        switch self {
        case .us: return [2_000, 4_000]
        case .uk: return [400, 200, 400, 2_000]
        case .eu: return [1_000, 4_000]
        }
    }
}

/// Generates a `RingbackTone` as PCM, 20 ms at a time, with continuous phase
/// across frames. Loop-confined (the bridge's); nothing allocates per frame.
final class RingbackGenerator {
    private let steps: [Double]
    private var phases: [Double]
    private let cadence: [Int]
    private let sampleRate: Int
    private var sampleInCycle = 0
    private let cycle: Int
    /// −13 dBm0 per tone is about 7 % of full scale; two tones stay below clipping.
    private let amplitude = 2_300.0
    /// One 20 ms frame, allocated with the generator (only calls that play ringback pay for it).
    let frame: UnsafeMutableBufferPointer<Int16>

    init(tone: RingbackTone, sampleRate: Int) {
        self.sampleRate = sampleRate
        steps = tone.frequencies.map { 2 * Double.pi * $0 / Double(sampleRate) }
        phases = tone.frequencies.map { _ in 0 }
        cadence = tone.cadenceMs.map { $0 * sampleRate / 1000 }
        cycle = cadence.reduce(0, +)
        frame = .allocate(capacity: sampleRate / 50)
        frame.initialize(repeating: 0)
    }

    deinit {
        frame.deallocate()
    }

    /// The next 20 ms frame, in `frame`.
    func next() -> UnsafeBufferPointer<Int16> {
        nextFrame(frame)
        return UnsafeBufferPointer(frame)
    }

    /// Fills `frame` with the next samples (tone or silence per the cadence).
    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        for index in frame.indices {
            var position = sampleInCycle
            var on = true
            for length in cadence {
                if position < length { break }
                position -= length
                on.toggle()
            }
            var value = 0.0
            if on {
                for tone in steps.indices { value += sin(phases[tone]) }
            }
            for tone in steps.indices {
                phases[tone] += steps[tone]
                if phases[tone] > 2 * Double.pi { phases[tone] -= 2 * Double.pi }
            }
            frame[index] = Int16(value * amplitude)
            sampleInCycle = (sampleInCycle + 1) % cycle
        }
    }
}
