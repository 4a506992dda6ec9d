import Codecs
import Foundation

/// `--mode=rate`: what rate conversion costs and what it does to the audio.
///
/// Quality: a stepped sweep of µ-law tones (what a G.711 phone sends; −12 dBFS,
/// 100 Hz … 3.8 kHz) through a whole transcoding path, 8 kHz PCM → Opus
/// encoder → Opus decoder → 8 kHz PCM, 20 ms at a time: libopus at 8 kHz
/// (no conversion), and libopus at 48 kHz behind each converter (8 → 48 kHz
/// before the encoder, 48 → 8 kHz after the decoder, as rtpengine does). Per
/// tone, the level out against in and the SINAD (the tone's power against
/// everything else: noise, distortion, aliases), fitted over 1 s after 0.5 s
/// of settling. The converters alone (8 → 48 → 8 kHz, no codec) show their
/// own floor. Cost: CPU per call per 20 ms for one frame each way.
enum RateQuality {
    /// One direction's conversion of one frame.
    typealias Convert = (UnsafeBufferPointer<Int16>, UnsafeMutableBufferPointer<Int16>) -> Int

    /// A converter kind: makes the up (8 → 48 kHz) and down (48 → 8 kHz) pair.
    struct Kind {
        var name: String
        var make: () -> (up: Convert, down: Convert)
    }

    static let tones: [Double] = [100, 200, 300, 500, 1_000, 1_900, 3_000, 3_400, 3_600, 3_800]

    static var kinds: [Kind] { [
        Kind(name: "Swift FIR (former)") {
            let up = ReferenceFIR(from: 8_000, to: 48_000)!, down = ReferenceFIR(from: 48_000, to: 8_000)!
            return ({ up.convert($0, into: $1) }, { down.convert($0, into: $1) })
        },
    ] + [1, 3, 5].map { quality in
        Kind(name: "speexdsp q\(quality)") {
            let up = RateConverter(from: 8_000, to: 48_000, quality: quality)!
            let down = RateConverter(from: 48_000, to: 8_000, quality: quality)!
            return ({ up.convert($0, into: $1) }, { down.convert($0, into: $1) })
        }
    } }

    /// Prints the quality table and the cost per frame of each converter.
    static func report(frames: Int) throws {
        print("rate conversion: µ-law tone −12 dBFS → path → 8 kHz; level dB (out − in) / SINAD dB per tone")
        print("  " + "path".padding(toLength: 44, withPad: " ", startingAt: 0) + tones.map { String(format: "%11.0f", $0) }.joined())
        try row("libopus at 8 kHz (no conversion)") { try codecPath(tone: $0, kind: nil) }
        for kind in kinds {
            try row("\(kind.name) + libopus at 48 kHz") { try codecPath(tone: $0, kind: kind) }
        }
        // What wagate codes for a G.711 source: the encoder held to narrowband (the source has nothing above 4 kHz).
        // (Wideband is the other candidate; the table shows what each keeps.)
        if let wagate = kinds.first(where: { $0.name == "speexdsp q3" }) {
            try row("\(wagate.name) + libopus 48 kHz narrowband") { try codecPath(tone: $0, kind: wagate, highestFrequency: 4_000) }
            try row("\(wagate.name) + libopus 48 kHz wideband") { try codecPath(tone: $0, kind: wagate, highestFrequency: 8_000) }
        }
        for kind in kinds {
            try row("\(kind.name), 8 → 48 → 8 kHz only") { try converterOnly(tone: $0, kind: kind) }
        }
        print("rate conversion cost: one 20 ms frame 8 → 48 kHz plus one 48 → 8 kHz, median of 9 runs of \(frames) frames")
        for kind in kinds {
            print(String(format: "  %-28@ %6.2f µs per call per 20 ms", kind.name, cost(kind, frames: frames)))
        }
    }

    /// `--mode=rate --only=NAME --frames=N`: only the conversion loop, for callgrind's instruction count.
    static func loop(kindNamed name: String, frames: Int) {
        guard let kind = kinds.first(where: { $0.name.hasPrefix(name) }) else { return }
        _ = run(kind, frames: frames)
    }

    private static func row(_ label: String, _ measure: (Double) throws -> (level: Double, sinad: Double)) throws {
        let cells = try tones.map { tone in
            let result = try measure(tone)
            return String(format: "%5.1f/%5.1f", result.level, result.sinad)
        }
        print("  " + label.padding(toLength: 44, withPad: " ", startingAt: 0) + cells.joined())
    }

    /// 1.5 s of the µ-law tone at 8 kHz.
    private static func source(tone: Double) throws -> [Int16] {
        let law = try G711Codec(.ulaw)
        let pcm = (0..<12_000).map { Int16(8_000 * sin(2 * Double.pi * tone * Double($0) / 8_000)) }
        var bytes = [UInt8](repeating: 0, count: pcm.count)
        var decoded = [Int16](repeating: 0, count: pcm.count)
        _ = pcm.withUnsafeBufferPointer { p in bytes.withUnsafeMutableBufferPointer { law.encode(p, into: $0) } }
        _ = bytes.withUnsafeBytes { b in decoded.withUnsafeMutableBufferPointer { law.decode(b, into: $0) } }
        return decoded
    }

    private static func codecPath(tone: Double, kind: Kind?, highestFrequency: Int? = nil) throws -> (level: Double, sinad: Double) {
        let rate = kind == nil ? 8_000 : 48_000
        let encoder = try OpusEncoder(sampleRate: rate, bitrate: 24_000, complexity: 10)
        try encoder.setHighestAudioFrequency(highestFrequency)
        let decoder = try OpusDecoder(sampleRate: rate)
        let pair = kind?.make()
        let input = try source(tone: tone)
        var output: [Int16] = []
        var wide = [Int16](repeating: 0, count: 960), decoded = [Int16](repeating: 0, count: decoder.maxFrameSize)
        var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize), narrow = [Int16](repeating: 0, count: 160)
        for start in stride(from: 0, to: input.count, by: 160) {
            try input.withUnsafeBufferPointer { all in
                let frame = UnsafeBufferPointer(rebasing: all[start..<(start + 160)])
                let length: Int
                if let pair {
                    _ = wide.withUnsafeMutableBufferPointer { pair.up(frame, $0) }
                    length = try wide.withUnsafeBufferPointer { w in try packet.withUnsafeMutableBytes { try encoder.encode(pcm: w, into: $0) } }
                } else {
                    length = try packet.withUnsafeMutableBytes { try encoder.encode(pcm: frame, into: $0) }
                }
                let count = try packet.withUnsafeBytes { p in
                    try decoded.withUnsafeMutableBufferPointer { try decoder.decode(packet: UnsafeRawBufferPointer(rebasing: p[0..<length]), into: $0) }
                }
                if let pair {
                    _ = decoded.withUnsafeBufferPointer { d in narrow.withUnsafeMutableBufferPointer { pair.down(UnsafeBufferPointer(rebasing: d[0..<count]), $0) } }
                    output += narrow
                } else {
                    output += decoded.prefix(count)
                }
            }
        }
        return measure(output, tone: tone)
    }

    private static func converterOnly(tone: Double, kind: Kind) throws -> (level: Double, sinad: Double) {
        let pair = kind.make()
        let input = (0..<12_000).map { Int16(8_000 * sin(2 * Double.pi * tone * Double($0) / 8_000)) }
        var output: [Int16] = []
        var wide = [Int16](repeating: 0, count: 960), narrow = [Int16](repeating: 0, count: 160)
        for start in stride(from: 0, to: input.count, by: 160) {
            input.withUnsafeBufferPointer { all in
                _ = wide.withUnsafeMutableBufferPointer { pair.up(UnsafeBufferPointer(rebasing: all[start..<(start + 160)]), $0) }
                _ = wide.withUnsafeBufferPointer { w in narrow.withUnsafeMutableBufferPointer { pair.down(w, $0) } }
            }
            output += narrow
        }
        return measure(output, tone: tone)
    }

    /// Level (dB against the 8000 amplitude sent) and SINAD of `tone` in samples 4000..<12000 (1 s: whole cycles).
    private static func measure(_ samples: [Int16], tone: Double) -> (level: Double, sinad: Double) {
        let window = samples[4_000..<12_000].map(Double.init)
        var cosine = 0.0, sine = 0.0, total = 0.0
        for (index, value) in window.enumerated() {
            let phase = 2 * Double.pi * tone * Double(index) / 8_000
            cosine += value * cos(phase)
            sine += value * sin(phase)
            total += value * value
        }
        let n = Double(window.count)
        let amplitude = 2 * (cosine * cosine + sine * sine).squareRoot() / n
        let tonePower = amplitude * amplitude / 2, rest = max(total / n - tonePower, 1e-9)
        return (20 * log10(max(amplitude, 1e-9) / 8_000), 10 * log10(tonePower / rest))
    }

    /// Median µs of thread CPU per frame pair over 9 runs.
    private static func cost(_ kind: Kind, frames: Int) -> Double {
        _ = run(kind, frames: frames / 10)  // warm up
        let runs = (0..<9).map { _ in run(kind, frames: frames) }.sorted()
        return runs[4]
    }

    private static func run(_ kind: Kind, frames: Int) -> Double {
        let pair = kind.make()
        let input = (0..<160).map { Int16(8_000 * sin(2 * Double.pi * 1_000 * Double($0) / 8_000)) }
        var wide = [Int16](repeating: 0, count: 960), narrow = [Int16](repeating: 0, count: 160)
        return input.withUnsafeBufferPointer { frame in
            wide.withUnsafeMutableBufferPointer { up in
                narrow.withUnsafeMutableBufferPointer { down in
                    let start = threadCPUNanoseconds()
                    for _ in 0..<frames {
                        _ = pair.up(frame, up)
                        _ = pair.down(UnsafeBufferPointer(up), down)
                    }
                    return Double(threadCPUNanoseconds() - start) / 1_000 / Double(max(1, frames))
                }
            }
        }
    }
}
