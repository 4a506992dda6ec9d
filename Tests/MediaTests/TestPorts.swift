import Codecs
import Foundation
import Media
import TestSupport

/// A simulated user's port that encodes its own tone to Opus and drops a
/// share of its packets on purpose (a lossy WhatsApp leg), decoding nothing.
final class LossyOpusTonePort: EncodedAudioPort {
    private let tone: TonePort
    private let encoder: OpusEncoder
    private let lossPercent: Int
    private var pcm: [Int16]

    init(frequency: Double, sampleRate: Int, lossPercent: Int) {
        tone = TonePort(frequency: frequency, sampleRate: sampleRate)
        encoder = try! OpusEncoder(sampleRate: sampleRate)
        self.lossPercent = lossPercent
        pcm = [Int16](repeating: 0, count: sampleRate / 50)
    }

    var passesOpusThrough: Bool { true }

    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        pcm.withUnsafeMutableBufferPointer { tone.nextFrame($0) }
        let length = pcm.withUnsafeBufferPointer { (try? encoder.encode(pcm: $0, into: out)) ?? 0 }
        return Int.random(in: 0..<100) < lossPercent ? -1 : length
    }

    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {}
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}
}

/// A simulated user's port for pass-through checks: sends given Opus payloads
/// and keeps every payload it receives, untouched.
final class OpusPayloadPort: EncodedAudioPort {
    private let outgoing: [[UInt8]]
    private var index = 0
    /// Every payload received, in order.
    private(set) var received: [[UInt8]] = []
    private let changes: ChangeSignal

    init(sending payloads: [[UInt8]], changes: ChangeSignal) {
        outgoing = payloads
        self.changes = changes
    }

    var passesOpusThrough: Bool { true }

    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        guard !outgoing.isEmpty else { return 0 }
        let payload = outgoing[index % outgoing.count]
        index += 1
        payload.withUnsafeBytes { out.copyMemory(from: $0) }
        return payload.count
    }

    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        received.append(Array(payload))
        changes.notify()
    }

    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {}
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}

    /// Opus payloads of a tone, distinct per packet.
    static func tonePayloads(frequency: Double, count: Int, sampleRate: Int = 48_000) -> [[UInt8]] {
        let encoder = try! OpusEncoder(sampleRate: sampleRate)
        let tone = TonePort(frequency: frequency, sampleRate: sampleRate)
        var pcm = [Int16](repeating: 0, count: sampleRate / 50)
        var out = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize)
        return (0..<count).map { _ in
            pcm.withUnsafeMutableBufferPointer { tone.nextFrame($0) }
            let length = pcm.withUnsafeBufferPointer { p in out.withUnsafeMutableBytes { (try? encoder.encode(pcm: p, into: $0)) ?? 0 } }
            return Array(out.prefix(length))
        }
    }
}
