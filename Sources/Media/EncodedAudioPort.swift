public import NIOCore

/// A telephone event another leg is playing, relayed into a WebRTC leg as it
/// happens (RFC 4733 §2.5: the event grows until its end arrives).
public struct RelayedTelephoneEvent: Sendable, Equatable {
    /// The event code (0–9, 10 `*`, 11 `#`, 12–15 A–D).
    public var code: UInt8
    /// The duration so far, in 8 kHz ticks.
    public var duration: Int
    /// Whether the source sent the end of the event.
    public var ended: Bool

    /// Creates an event.
    public init(code: UInt8, duration: Int, ended: Bool) {
        self.code = code
        self.duration = duration
        self.ended = ended
    }
}

/// An `AudioPort` that can also trade encoded packets and live RFC 4733
/// events with a WebRTC leg: the media bridge's hook for Opus pass-through,
/// DTMF relay and latency figures (and for load generators that must not
/// spend CPU on Opus). Called only on the leg's event loop. Every method has
/// a default that does nothing, so a port implements only what it uses.
public protocol EncodedAudioPort: AudioPort {
    /// When true (checked every packet), the leg neither encodes nor decodes:
    /// it sends `nextOpusPayload` and hands received payloads to `receivedOpusPayload`.
    var passesOpusThrough: Bool { get }
    /// Writes the next 20 ms Opus payload into `out` and returns its length.
    /// 0 sends nothing this tick; a negative value consumes the sequence
    /// number and sends nothing (a deliberate loss, for tests and load runs).
    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int
    /// Takes one received Opus payload, undecoded, with its RTP sequence number and timestamp.
    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32)
    /// This tick went out as a telephone-event packet: drop the frame of audio it replaced.
    func skipFrame()
    /// The relayed event to play now, if any (polled every tick while one plays).
    func relayedTelephoneEvent() -> RelayedTelephoneEvent?
    /// The leg has sent the end of the event `relayedTelephoneEvent` returned.
    func finishedRelayedTelephoneEvent()
    /// Every RFC 4733 payload received from the peer, retransmissions included, with its RTP timestamp.
    func receivedTelephoneEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32)
    /// A media packet is about to be processed (arrival time for latency figures).
    func packetArriving(at time: NIODeadline)
    /// This tick's packet was written; it was due at `due` (latency figures).
    func frameSent(due: NIODeadline)
}

extension EncodedAudioPort {
    /// Transcoding by default.
    public var passesOpusThrough: Bool { false }
    /// Sends nothing by default.
    public func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int { 0 }
    /// Ignores payloads by default.
    public func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {}
    /// Does nothing by default.
    public func skipFrame() {}
    /// No relayed events by default.
    public func relayedTelephoneEvent() -> RelayedTelephoneEvent? { nil }
    /// Does nothing by default.
    public func finishedRelayedTelephoneEvent() {}
    /// Ignores events by default.
    public func receivedTelephoneEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) {}
    /// Does nothing by default.
    public func packetArriving(at time: NIODeadline) {}
    /// Does nothing by default.
    public func frameSent(due: NIODeadline) {}
}
