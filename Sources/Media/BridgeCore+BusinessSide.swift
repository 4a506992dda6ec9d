import NIOCore

/// The business side can change during a call (a blind transfer): the
/// WhatsApp leg stays as it is (ICE, DTLS, SRTP, its SSRC and sequence
/// numbers: Meta sees one continuous stream) while the SIP party is replaced.
///
/// - `detach(filler:)`: the SIP peer or the browser is forgotten at once (again on each
///   re-offer, so a target that answered and failed before the join is too). Its RTP is
///   dropped from then on (it may arrive until its BYE), nothing is sent to
///   it, its inactivity timer stops, and the WhatsApp leg encodes the filler
///   every 20 ms instead (also on an Opus pass-through call). A browser's leg
///   stays open until its owner takes it (`MediaBridge.detachBrowser`) and closes it.
/// - `apply` of the new party's parameters then starts the SIP leg afresh:
///   codec, SDES keys, address, source learning, jitter buffer, and our own
///   SSRC, sequence numbers and timestamps toward it (a new dialog is a new
///   RTP session). Audio flows to the new party from then on.
/// - `join()` ends the filler: the new party's audio reaches WhatsApp.
///
/// The SIP leg's per-peer figures (codec, packets, loss, jitter, RTT, MOS)
/// restart at the detach, so at the call's end they describe the last
/// business side; call-wide figures (the WhatsApp leg, concealment, late
/// packets, digits, latency) cover the whole call.
extension BridgeCore {
    /// Forgets the SIP peer and plays `sound` to WhatsApp until `join()`
    /// (nil: the filler playing goes on; silence when none plays).
    func detach(filler sound: FillerSound?) {
        guard !closed else { return }
        stopRingback()
        if let sound {
            filler = FillerPlayer(sound, sampleRate: legRate)
        } else if filler == nil {
            filler = FillerPlayer(.silence, sampleRate: legRate)
        }
        parameters = nil  // the receive path and the sender stop here: nothing from or to the old peer
        detachBrowser()  // a browser side neither hears WhatsApp nor is heard from now on
        signalled = nil
        sources.reset(signalled: nil)
        srtp = nil
        rtcpLatched = nil
        receive = nil
        jitter.reset()
        opusQueue.reset()
        events = TelephoneEventQueue()
        sip = SIPSendState()
        sipFlowing = false
        sipTimedOut = false
        stats.sip = MediaLegStatistics()
        stats.passThrough = false
    }

    /// Ends the filler: the SIP side set since the detach (if any) is heard by WhatsApp from now on.
    func join() {
        guard !closed, filler != nil else { return }
        filler = nil
        jitter.reset()  // what queued before the join is stale: start at the jitter buffer's minimum delay
        opusQueue.reset()
        lastSIPPacket = clock.now()
        setup.logger.info("business side joined", metadata: ["call_id": "\(setup.configuration.label)",
                                                             "codec": "\(parameters?.codec.name ?? "-")"])
    }

    /// Whether a filler plays instead of a business side.
    var isDetached: Bool { filler != nil }
}
