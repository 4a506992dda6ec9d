/// The business side of a call when it is a browser: the audio port of the browser's
/// `WebRTCLeg` (opened in `.browser` mode on the bridge's loop), joined to `BridgeCore`
/// for Opus pass-through. Nothing is decoded or encoded in either direction:
///
/// - WhatsApp → browser: each payload is forwarded on arrival with the browser leg's own
///   SSRC, sequence numbers and timestamps (`WebRTCLegEngine.forwardOpus`), so the
///   browser's NetEQ sees WhatsApp's real timing and losses.
/// - browser → WhatsApp: payloads go into the bridge's `OpusPacketQueue`, which the
///   WhatsApp leg's 20 ms tick drains, sending Opus's silence frame when nothing waits:
///   Meta sees one continuous stream whatever the page does.
///
/// Hold: nothing is forwarded either way and Meta gets silence frames; mute: the
/// browser's audio is dropped (Meta gets silence frames), WhatsApp's still reaches the
/// browser. RTCP is terminated per leg (each leg sends its own reports). Lives on the
/// bridge's loop; not Sendable.
final class BrowserSide: EncodedAudioPort {
    /// The bridge, once the leg is attached (nil while the browser only rings).
    weak var core: BridgeCore?
    /// The browser leg's engine (the same loop), once attached.
    weak var engine: WebRTCLegEngine?
    /// Held: no audio either way.
    var held = false
    /// Muted: the browser's audio is dropped.
    var muted = false

    /// Creates an unattached side (a ringing fork's leg drops what it receives).
    init() {}

    /// Pass-through: the browser leg never runs its Opus codec.
    var passesOpusThrough: Bool { true }

    /// Joins the browser leg's engine to `core` (on the loop).
    func attach(core: BridgeCore, engine: WebRTCLegEngine) {
        self.core = core
        self.engine = engine
        engine.forwardsOnArrival = true
        core.opusQueue.reset()
    }

    /// Sets hold and mute; resuming starts the WhatsApp-bound queue afresh.
    func setMedia(held: Bool, muted: Bool) {
        if self.held, !held { core?.opusQueue.reset() }
        self.held = held
        self.muted = muted
    }

    /// WhatsApp → browser, on arrival.
    func forwardFromWhatsApp(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        guard !held else { return }
        engine?.forwardOpus(payload, sequenceNumber: sequenceNumber, timestamp: timestamp)
    }

    /// A WhatsApp RFC 4733 payload → browser; true when it completed a digit.
    func forwardEventFromWhatsApp(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) -> Bool {
        guard !held, let engine else { return false }
        return engine.forwardTelephoneEvent(payload, timestamp: timestamp)
    }

    // MARK: - The browser leg's port

    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        frame.update(repeating: 0)
    }

    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {}

    /// Browser → WhatsApp: queued for the WhatsApp leg's tick unless held or muted.
    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        guard let core, !held, !muted else { return }
        core.opusQueue.insert(sequenceNumber: sequenceNumber, payload: payload)
    }

    /// The browser's RFC 4733 (`RTCDTMFSender`) → WhatsApp, as a phone's events are relayed.
    func receivedTelephoneEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) {
        guard let core, !held else { return }
        core.takeBusinessEvent(payload, timestamp: timestamp)
    }
}
