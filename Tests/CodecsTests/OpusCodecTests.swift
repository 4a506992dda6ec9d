import Foundation
import Testing
@testable import Codecs

/// libopus through `OpusEncoder`/`OpusDecoder` at the SIP codecs' PCM rates.
@Suite struct OpusCodecTests {
    /// Encodes 20 ms frames of `pcm`; returns the packets.
    private func encode(_ encoder: OpusEncoder, _ pcm: [Int16]) throws -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize)
        for frame in 0..<(pcm.count / encoder.frameSize) {
            let size = try pcm.withUnsafeBufferPointer { input in
                try packet.withUnsafeMutableBytes { output in
                    try encoder.encode(pcm: UnsafeBufferPointer(rebasing: input[(frame * encoder.frameSize)...].prefix(encoder.frameSize)), into: output)
                }
            }
            packets.append(Array(packet[..<size]))
        }
        return packets
    }

    /// Encodes `frames` 20 ms frames of a 1 kHz tone; returns input, packets.
    private func encodeTone(_ encoder: OpusEncoder, frames: Int) throws -> (pcm: [Int16], packets: [[UInt8]]) {
        let pcm = ToneAnalysis.tone(frequency: 1000, sampleRate: encoder.sampleRate, count: frames * encoder.frameSize)
        return (pcm, try encode(encoder, pcm))
    }

    /// Decodes one packet (or FEC/PLC) into a fresh frame.
    private func decodeFrame(_ decoder: OpusDecoder, _ call: (UnsafeMutableBufferPointer<Int16>) throws -> Int) rethrows -> [Int16] {
        var frame = [Int16](repeating: 0, count: decoder.maxFrameSize)
        let count = try frame.withUnsafeMutableBufferPointer { try call($0) }
        return Array(frame[..<count])
    }

    @Test(arguments: [8_000, 16_000])
    func toneRoundTripsAtTheSameFrequencyAndLevel(sampleRate: Int) throws {
        let encoder = try OpusEncoder(sampleRate: sampleRate, bitrate: 32_000, complexity: 5)
        let decoder = try OpusDecoder(sampleRate: sampleRate)
        let (input, packets) = try encodeTone(encoder, frames: 15)
        var output: [Int16] = []
        for packet in packets {
            output += try decodeFrame(decoder) { out in try packet.withUnsafeBytes { try decoder.decode(packet: $0, into: out) } }
        }
        #expect(output.count == input.count)
        // Compare after the encoder's look-ahead and a settling time: 100 ms onwards.
        let start = encoder.lookahead + sampleRate / 10
        let decoded = output[start...]
        #expect(ToneAnalysis.peakFrequency(decoded, sampleRate: sampleRate) == 1000)
        let gain = ToneAnalysis.gainDB(input: input[start...], output: decoded)
        #expect(abs(gain) < 3, "level changed by \(gain) dB")
    }

    @Test func settingsAreApplied() throws {
        let encoder = try OpusEncoder(sampleRate: 16_000, bitrate: 28_000, complexity: 3, expectedLossPercent: 15)
        #expect(encoder.frameSize == 320)
        #expect(encoder.bitrate == 28_000)
        #expect(encoder.complexity == 3)
        #expect(encoder.isInbandFECEnabled)
        #expect(encoder.expectedLossPercent == 15)
        #expect(encoder.lookahead > 0)
        try encoder.setExpectedLossPercent(5)
        #expect(encoder.expectedLossPercent == 5)
    }

    /// The band of each packet, from its TOC byte's configuration (RFC 6716 §3.1): 0 narrowband, 1 mediumband,
    /// 2 wideband, 3 super-wideband, 4 fullband.
    private func bands(_ packets: [[UInt8]]) -> Set<Int> {
        Set(packets.compactMap { packet in
            guard let toc = packet.first else { return nil }
            let config = Int(toc >> 3)
            switch config {
            case 0...11: return config / 4  // SILK: NB, MB, WB
            case 12...15: return config < 14 ? 3 : 4  // hybrid: SWB, FB
            default: return [0, 2, 3, 4][(config - 16) / 4]  // CELT: NB, WB, SWB, FB
            }
        })
    }

    @Test("a 48 kHz encoder held to a 4 kHz source codes narrowband only; unheld, it codes wider")
    func bandLimit() throws {
        // A vowel-like tone plus full-band noise: content above 4 kHz that an unheld encoder codes.
        let pcm = (0..<(48_000 * 2)).map { index -> Int16 in
            var value = 0.0
            for harmonic in 1...12 { value += sin(2 * Double.pi * 140 * Double(harmonic) * Double(index) / 48_000) / Double(harmonic) }
            return Int16(clamping: Int(3000 * value) + Int.random(in: -1500...1500))
        }
        let held = try OpusEncoder(sampleRate: 48_000, bitrate: 24_000, complexity: 10)
        try held.setHighestAudioFrequency(4_000)
        #expect(held.maxBandwidth == 1101)  // OPUS_BANDWIDTH_NARROWBAND
        #expect(bands(try encode(held, pcm)) == [0])
        let free = try OpusEncoder(sampleRate: 48_000, bitrate: 24_000, complexity: 10)
        #expect(bands(try encode(free, pcm)).contains { $0 >= 2 })
        try held.setHighestAudioFrequency(nil)
        #expect(held.maxBandwidth == 1105)  // OPUS_BANDWIDTH_FULLBAND
        #expect(OpusEncoder.bandwidth(forHighestFrequency: 8_000) == 1103)  // G.722: wideband
    }

    @Test func unsupportedRateIsRefused() {
        #expect(throws: CodecError.self) { try OpusEncoder(sampleRate: 44_100) }
        #expect(throws: CodecError.self) { try OpusDecoder(sampleRate: 11_025) }
    }

    @Test func wrongFrameSizeIsAnError() throws {
        let encoder = try OpusEncoder(sampleRate: 8_000)
        let pcm = [Int16](repeating: 0, count: 100)
        var packet = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize)
        #expect(throws: CodecError.self) {
            try pcm.withUnsafeBufferPointer { input in
                try packet.withUnsafeMutableBytes { try encoder.encode(pcm: input, into: $0) }
            }
        }
    }

    @Test func lostPacketIsRecoveredFromTheNextPacketsFEC() throws {
        // 600 Hz for 9 frames, then 1 kHz: concealment would extrapolate 600 Hz
        // into the lost frame 9, only the LBRR copy in packet 10 knows 1 kHz.
        let encoder = try OpusEncoder(sampleRate: 8_000, bitrate: 24_000, complexity: 5, expectedLossPercent: 20)
        let decoder = try OpusDecoder(sampleRate: 8_000)
        let input = ToneAnalysis.tone(frequency: 600, sampleRate: 8_000, count: 9 * 160)
            + ToneAnalysis.tone(frequency: 1000, sampleRate: 8_000, count: 3 * 160, offset: 9 * 160)
        let packets = try encode(encoder, input)
        for packet in packets[..<9] {
            _ = try decodeFrame(decoder) { out in try packet.withUnsafeBytes { try decoder.decode(packet: $0, into: out) } }
        }
        let recovered = try decodeFrame(decoder) { out in
            try packets[10].withUnsafeBytes { try decoder.decodeFEC(nextPacket: $0, into: out) }
        }
        #expect(recovered.count == 160)
        let reference = input[(9 * 160)..<(10 * 160)]
        #expect(ToneAnalysis.rms(recovered[...]) > 0.3 * ToneAnalysis.rms(reference), "FEC frame is (nearly) silent")
        // The second half of the frame, past the LBRR's own transition.
        #expect(ToneAnalysis.peakFrequency(recovered[80...], sampleRate: 8_000) == 1000)
        let next = try decodeFrame(decoder) { out in try packets[10].withUnsafeBytes { try decoder.decode(packet: $0, into: out) } }
        #expect(next.count == 160)
    }

    @Test func concealmentAloneWouldNotHaveRecoveredTheFrame() throws {
        // The control for the FEC test: same stream, PLC instead of FEC.
        let encoder = try OpusEncoder(sampleRate: 8_000, bitrate: 24_000, complexity: 5, expectedLossPercent: 20)
        let decoder = try OpusDecoder(sampleRate: 8_000)
        let input = ToneAnalysis.tone(frequency: 600, sampleRate: 8_000, count: 9 * 160)
            + ToneAnalysis.tone(frequency: 1000, sampleRate: 8_000, count: 3 * 160, offset: 9 * 160)
        let packets = try encode(encoder, input)
        for packet in packets[..<9] {
            _ = try decodeFrame(decoder) { out in try packet.withUnsafeBytes { try decoder.decode(packet: $0, into: out) } }
        }
        let concealed = try decodeFrame(decoder) { try decoder.concealLoss(into: $0) }
        #expect(ToneAnalysis.peakFrequency(concealed[80...], sampleRate: 8_000) != 1000)
    }

    @Test func concealmentProducesAFullFrame() throws {
        let encoder = try OpusEncoder(sampleRate: 16_000)
        let decoder = try OpusDecoder(sampleRate: 16_000)
        let (_, packets) = try encodeTone(encoder, frames: 6)
        for packet in packets {
            _ = try decodeFrame(decoder) { out in try packet.withUnsafeBytes { try decoder.decode(packet: $0, into: out) } }
        }
        let concealed = try decodeFrame(decoder) { try decoder.concealLoss(into: $0) }
        #expect(concealed.count == 320)
        #expect(decoder.lastPacketDuration == 320)
        #expect(ToneAnalysis.rms(concealed[...]) > 100)
    }
}
