/// The bridge's business side as a browser leg: attach, hold/mute, detach. All on the
/// bridge's loop, where both WebRTC engines live (no locks between them).
extension BridgeCore {
    /// Makes `side` (the audio port of `engine`, a `.browser` leg on this loop) the
    /// business side: from now on WhatsApp's Opus is forwarded to it undecoded and the
    /// WhatsApp leg's tick drains what the browser sends. Any local ringback stops.
    func attachBrowser(_ side: BrowserSide, engine: WebRTCLegEngine) {
        guard !closed else { return }
        stopRingback()
        side.attach(core: self, engine: engine)
        browser = side
        stats.passThrough = true
        // A bridge without a SIP side has no inactivity timer yet: WhatsApp's RTP
        // timeout (and the browser's, through ICE consent) must still end the call.
        if timer == nil { startTimer() }
    }

    /// Hold and mute of the browser side (no SDP renegotiation with the browser).
    func setBrowserMedia(held: Bool, muted: Bool) {
        browser?.setMedia(held: held, muted: muted)
    }

    /// Leaves the browser side (the leg itself is closed by its owner); WhatsApp then
    /// gets silence frames until another business side is attached.
    func detachBrowser() {
        guard let side = browser else { return }
        side.engine?.forwardsOnArrival = false
        side.core = nil
        side.engine = nil
        browser = nil
        opusQueue.reset()
    }
}
