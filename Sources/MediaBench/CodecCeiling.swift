import Codecs
import Foundation

/// The libopus-only ceiling: one call's Opus work per 20 ms frame (one encode
/// and one decode, `opus_encode`/`opus_decode` through the Codecs wrappers,
/// no I/O), plus G.711 both ways, timed in a tight loop on speech-like PCM.
/// `instances` > 1 cycles through that many encoder/decoder pairs, so their
/// state competes for the caches as many calls' state does in a loaded bridge.
enum CodecCeiling {
    struct Result {
        /// µs of CPU per call per 20 ms frame.
        var microsecondsPerFrame: Double
        /// Calls one core could carry at that cost.
        var callsPerCore: Double { 20_000 / microsecondsPerFrame }
    }

    /// `highestFrequency`: the encoder's band limit, as wagate sets it for the source (4000 for G.711; nil: none).
    static func measure(sampleRate: Int, complexity: Int, bitrate: Int, frames: Int = 1_500,
                        instances: Int = 1, highestFrequency: Int? = 4_000) throws -> Result {
        let encoders = try (0..<instances).map { _ in
            let encoder = try OpusEncoder(sampleRate: sampleRate, bitrate: bitrate, complexity: complexity)
            try encoder.setHighestAudioFrequency(highestFrequency)
            return encoder
        }
        let decoders = try (0..<instances).map { _ in try OpusDecoder(sampleRate: sampleRate) }
        let decoder = decoders[0]
        let samples = sampleRate / 50
        // A vowel-like signal: a 140 Hz pulse train through harmonics, with some noise, so the encoder works as for speech.
        var signal = [Int16](repeating: 0, count: samples * 50)
        for index in signal.indices {
            let t = Double(index) / Double(sampleRate)
            var value = 0.0
            for harmonic in 1...12 { value += sin(2 * Double.pi * 140 * Double(harmonic) * t) / Double(harmonic) }
            signal[index] = Int16(clamping: Int(3000 * value) + Int.random(in: -300...300))
        }
        var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize)
        var decoded = [Int16](repeating: 0, count: decoder.maxFrameSize)
        var law = [UInt8](repeating: 0, count: samples)
        let g711 = try G711Codec(.ulaw)
        func frame(_ index: Int) {
            let encoder = encoders[index % instances], decoder = decoders[index % instances]
            let start = (index % 50) * samples
            signal.withUnsafeBufferPointer { all in
                let pcm = UnsafeBufferPointer(rebasing: all[start..<(start + samples)])
                law.withUnsafeMutableBufferPointer { _ = g711.encode(pcm, into: $0) }
                let length = packet.withUnsafeMutableBytes { (try? encoder.encode(pcm: pcm, into: $0)) ?? 0 }
                decoded.withUnsafeMutableBufferPointer { out in
                    _ = packet.withUnsafeBytes { (try? decoder.decode(packet: UnsafeRawBufferPointer(rebasing: $0[0..<length]), into: out)) }
                    _ = law.withUnsafeBytes { g711.decode($0, into: out) }
                }
            }
        }
        for index in 0..<100 { frame(index) }  // warm up
        let start = threadCPUNanoseconds()
        for index in 0..<frames { frame(index) }
        let elapsed = Double(threadCPUNanoseconds() - start) / 1_000
        return Result(microsecondsPerFrame: elapsed / Double(frames))
    }
}

/// CPU time of the calling thread, ns.
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Resident memory of the process, bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}
