import Codecs
import Media

/// One second of a sine tone, encoded once to Opus and kept as PCM, at both
/// sample rates a simulated user's leg runs at (16 kHz for Opus, 8 kHz when
/// G.711 may be chosen). Legs replay it in a loop, so a load run's simulated
/// users spend no CPU on encoding or decoding: what is measured is the gateway.
public struct PreEncodedTone: Sendable, Equatable {
    /// The tone's frequency in Hz (a whole number of cycles per second loops seamlessly).
    public let frequency: Double
    /// One second of one rate: fifty 20 ms Opus payloads and the PCM they came from.
    struct Second: Sendable, Equatable {
        var payloads: [[UInt8]]
        var pcm: [Int16]
    }

    private let seconds: [Int: Second]

    /// Encodes one second of a `frequency` Hz tone at each rate, with the leg's
    /// default Opus settings (24 kb/s, complexity 5, in-band FEC).
    /// - Throws: `CodecError` when libopus cannot make an encoder or encode.
    public init(frequency: Double, amplitude: Double = 8000) throws {
        self.frequency = frequency
        var seconds: [Int: Second] = [:]
        for rate in [8_000, 16_000] {
            seconds[rate] = try Self.encodeSecond(frequency: frequency, amplitude: amplitude, sampleRate: rate)
        }
        self.seconds = seconds
    }

    /// The second recorded at `sampleRate`, if that rate was encoded.
    func second(sampleRate: Int) -> Second? { seconds[sampleRate] }

    private static func encodeSecond(frequency: Double, amplitude: Double, sampleRate: Int) throws -> Second {
        let source = TonePort(frequency: frequency, amplitude: amplitude, sampleRate: sampleRate)
        var pcm = [Int16](repeating: 0, count: sampleRate)
        pcm.withUnsafeMutableBufferPointer { source.nextFrame($0) }
        let encoder = try OpusEncoder(sampleRate: sampleRate)
        let frame = sampleRate / 50
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_275, alignment: 1)
        defer { out.deallocate() }
        var payloads: [[UInt8]] = []
        try pcm.withUnsafeBufferPointer { samples in
            for start in stride(from: 0, to: sampleRate, by: frame) {
                let length = try encoder.encode(pcm: UnsafeBufferPointer(rebasing: samples[start..<start + frame]), into: out)
                payloads.append(Array(UnsafeRawBufferPointer(rebasing: out[0..<length])))
            }
        }
        return Second(payloads: payloads, pcm: pcm)
    }
}

/// A simulated user's leg that replays a ``PreEncodedTone``: Opus payloads go
/// out as they are (the leg neither encodes nor decodes), G.711 frames are
/// copied from the stored PCM, and what arrives is only counted by the leg
/// (SRTP authentication, sequence gaps as loss). Called only on the leg's event loop.
final class PreEncodedTonePort: EncodedAudioPort {
    private let second: PreEncodedTone.Second
    private let samplesPerFrame: Int
    private var index = 0

    /// A port replaying `second` from its start.
    init(_ second: PreEncodedTone.Second, samplesPerFrame: Int) {
        self.second = second
        self.samplesPerFrame = samplesPerFrame
    }

    /// Opus legs send the stored payloads undecoded.
    var passesOpusThrough: Bool { true }

    /// Copies the next stored payload.
    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        let payload = second.payloads[index]
        advance()
        guard payload.count <= out.count else { return 0 }
        payload.withUnsafeBytes { out.copyMemory(from: $0) }
        return payload.count
    }

    /// A telephone event replaced this tick's frame.
    func skipFrame() { advance() }

    /// G.711 legs: copies the next 20 ms of stored PCM.
    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        let start = index * samplesPerFrame
        second.pcm.withUnsafeBufferPointer { pcm in
            for i in 0..<min(frame.count, samplesPerFrame) { frame[i] = pcm[start + i] }
        }
        advance()
    }

    /// Drops what it hears: the leg's statistics have counted it.
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}

    private func advance() {
        index = index + 1 == second.payloads.count ? 0 : index + 1
    }
}

extension WebRTCSimulatedUserMedia.Behaviour {
    /// A new port for one leg whose PCM runs at `sampleRate`.
    func makePort(sampleRate: Int) -> any AudioPort {
        switch self {
        case .tone(let frequency):
            return TonePort(frequency: frequency, sampleRate: sampleRate)
        case .echo:
            return EchoPort(samplesPerFrame: sampleRate / 50)
        case .preEncodedTone(let tone):
            guard let second = tone.second(sampleRate: sampleRate) else {
                return TonePort(frequency: tone.frequency, sampleRate: sampleRate)
            }
            return PreEncodedTonePort(second, samplesPerFrame: sampleRate / 50)
        }
    }
}
