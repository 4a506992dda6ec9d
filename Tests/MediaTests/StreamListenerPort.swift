import Codecs
import Media
import NIOCore
import TestSupport

/// The simulated WhatsApp user of business-side tests: sends a tone as Opus,
/// decodes what it hears (for the tone checks), and keeps every received
/// packet's sequence number, timestamp and arrival, so a test can check that
/// Meta sees one continuous stream at 50 packets a second.
final class StreamListenerPort: EncodedAudioPort {
    /// One packet received.
    struct Packet: Sendable {
        var sequence: UInt16
        var timestamp: UInt32
        var arrival: NIODeadline
    }

    private let tone: TonePort
    private let encoder: OpusEncoder
    private let decoder: OpusDecoder
    private var pcm: [Int16]
    private var decoded: [Int16]
    private let limit: Int
    private let changes: ChangeSignal
    /// Everything decoded so far (up to the limit).
    private(set) var heard: [Int16] = []
    /// Every packet received, in order.
    private(set) var packets: [Packet] = []

    init(frequency: Double, sampleRate: Int, maxSamples: Int, changes: ChangeSignal) {
        tone = TonePort(frequency: frequency, sampleRate: sampleRate)
        encoder = try! OpusEncoder(sampleRate: sampleRate)
        decoder = try! OpusDecoder(sampleRate: sampleRate)
        pcm = [Int16](repeating: 0, count: sampleRate / 50)
        decoded = [Int16](repeating: 0, count: sampleRate * 6 / 50)
        limit = maxSamples
        self.changes = changes
        heard.reserveCapacity(maxSamples)
    }

    var passesOpusThrough: Bool { true }

    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        pcm.withUnsafeMutableBufferPointer { tone.nextFrame($0) }
        return pcm.withUnsafeBufferPointer { (try? encoder.encode(pcm: $0, into: out)) ?? 0 }
    }

    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        packets.append(Packet(sequence: sequenceNumber, timestamp: timestamp, arrival: .now()))
        let count = decoded.withUnsafeMutableBufferPointer { (try? decoder.decode(packet: payload, into: $0)) ?? 0 }
        let room = limit - heard.count
        if room > 0 { heard.append(contentsOf: decoded.prefix(min(count, room))) }
        changes.notify()
    }

    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {}
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}
}

extension BridgedCall {
    /// The packets the user's `StreamListenerPort` received so far.
    func userPackets() async throws -> [StreamListenerPort.Packet] {
        try await user.withAudioPort { ($0 as? StreamListenerPort)?.packets ?? [] }
    }

    /// The same call with another SIP endpoint facing the bridge (the party a transfer brought in).
    func with(endpoint other: SIPTestEndpoint) -> BridgedCall {
        BridgedCall(bridge: bridge, user: user, endpoint: other, bridgeEvents: bridgeEvents, userEvents: userEvents,
                    ports: ports, userChanges: userChanges)
    }
}
