/// Media from the first moment of the call, with no backlog, in both directions.
///
/// Audio that one side produces before the other can take it is dropped, never
/// queued: a queue would be released at once when the call is answered, as a
/// burst the peer's jitter buffer then plays out late for the rest of the call.
///
/// - WhatsApp → SIP: until the SIP dialog is answered (an outbound call's 200
///   sent to the phone, `openToWhatsAppAudio`; an inbound call's 200 from the
///   phone, its first `apply`), WhatsApp audio and events are dropped. The SIP
///   peer hears the local ringback (`early_media = ringback`) or its own
///   ringing until then, and the first packet after the answer carries the
///   user's live audio.
/// - SIP → WhatsApp: the WhatsApp leg pulls a frame every 20 ms only once it
///   sends (the call answered and DTLS up). What the phone sent before that
///   (early media after a 183, or its audio from its own 200 to Meta's accept)
///   is stale: on the first pull the jitter buffer and the pass-through queue
///   start afresh, so WhatsApp hears the phone at the jitter buffer's minimum
///   delay from the first frame.
extension BridgeCore {
    /// The SIP dialog is answered: WhatsApp audio goes to the SIP peer from now on and replaces the ringback.
    func openToWhatsAppAudio() {
        guard !closed else { return }
        sipAnswered = true
        stopRingback()
    }

    /// Called on every pull of the WhatsApp leg (one per 20 ms tick): the first one drops what waited.
    @inline(__always)
    func noteWhatsAppPull() {
        guard !whatsAppPulling else { return }
        whatsAppPulling = true
        jitter.reset()
        opusQueue.reset()
    }
}
