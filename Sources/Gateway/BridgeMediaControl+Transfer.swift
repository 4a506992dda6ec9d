import CallControl
import Media
import SDP

/// The business side of a bridged call changes (blind transfer, the call
/// coming back to the transferor): the WhatsApp leg and the SIP-side RTP port
/// stay for the call's life; the SIP party is replaced.
///
/// Call control's order: `detachBusiness` (the WhatsApp user hears the
/// filler, the old phone's RTP is ignored from then on), `reofferBusiness`
/// (our offer for the new dialog), `setSIPRemote` with the target's answer
/// (its address, SSRC and codec: PCMA where the old phone had PCMU, or Opus),
/// then `startBridging`, which joins the new party to WhatsApp.
extension BridgeMediaControl {
    /// A fresh SIP offer for a new dialog on the call's existing RTP port: the
    /// codecs an inbound call offers to phones, a new `o=` session id (a new
    /// dialog is a new SDP session) and new SDES keys; the pending offer is
    /// completed by `setSIPRemote`. A detached side (blind transfer, fallback):
    /// the bridge forgets any previous peer, also one that answered an earlier
    /// re-offer and failed before the join (the filler playing goes on; silence
    /// if none was started). An attached side (attended transfer) stays until
    /// the answer (``adoptPendingReoffer(_:)``), and stays for good if none comes.
    func reofferBusiness(_ call: CallID, context: CallLogContext) async throws(MediaFailure) -> String {
        guard var entry = calls[call] else { throw MediaFailure(.setupFailed, "the call has no media") }
        let local = newSIPLocalMedia(port: entry.bridge.sipPort)
        guard let offer = try? entry.negotiator.offer(local: local) else {
            throw MediaFailure(.setupFailed, "could not build a SIP offer")
        }
        entry.sipOffer = offer.serialized()
        // An attended transfer (the side still attached): the transferor keeps
        // hearing and being heard until the target answers, and keeps the call
        // if it does not, as Asterisk's attended transfer does.
        let attended = !entry.businessDetached
        if attended {
            entry.pendingReoffer = (local, offer)
        } else {
            entry.bridge.detachBusiness(filler: nil)  // a party answered to an earlier offer is forgotten too
            entry.local = local
            entry.lastSent = offer
            entry.pendingReoffer = nil
        }
        calls[call] = entry
        if !attended { await closeDetachedBrowser(call, bridge: entry.bridge) }
        logger.info("business side re-offered", metadata: context.metadata.merging(
            ["rtp_port": "\(entry.bridge.sipPort)", "session_id": "\(local.sessionID)",
             "transferor_attached": "\(attended)"]) { $1 })
        return offer.serialized()
    }

    /// The answer to a re-offer made with the business side attached: the
    /// transferor's side is detached now and the re-offer's media becomes the call's.
    func adoptPendingReoffer(_ call: CallID) async {
        guard var entry = calls[call], let reoffer = entry.pendingReoffer else { return }
        entry.bridge.detachBusiness(filler: nil)
        entry.businessDetached = true
        entry.local = reoffer.local
        entry.lastSent = reoffer.offer
        entry.pendingReoffer = nil
        calls[call] = entry
        await closeDetachedBrowser(call, bridge: entry.bridge)
    }

    /// Detaches the business side: the WhatsApp user hears `filler` (Meta's
    /// leg keeps receiving a packet every 20 ms) and the old SIP peer's RTP is
    /// dropped until a new side is bridged. Any offer of ours still waiting for
    /// the old peer's answer is forgotten.
    ///
    /// A browser business side (the transferor's page) stops hearing and being
    /// heard at once, and its WebRTC leg is closed: its port is free again and the
    /// page's PeerConnection ends with the agent leg's `ended`. The next party joins
    /// through the call's RTP port (a phone) or a new browser leg.
    func detachBusiness(_ call: CallID, filler: BusinessFiller, context: CallLogContext) async {
        guard var entry = calls[call] else { return }
        entry.bridge.detachBusiness(filler: fillerSound(filler))
        if !entry.businessDetached { entry.sipOffer = nil }  // an offer made after a detach is the new party's
        entry.businessDetached = true
        calls[call] = entry
        logger.info("business side detached", metadata: context.metadata.merging(["filler": "\(filler.rawValue)"]) { $1 })
        await closeDetachedBrowser(call, bridge: entry.bridge)
    }

    /// Takes the browser leg a detach left attached, if any, out of the call's
    /// browser legs and closes it.
    private func closeDetachedBrowser(_ call: CallID, bridge: MediaBridge) async {
        guard let leg = await bridge.detachBrowser() else { return }
        agentForks[call] = agentForks[call]?.filter { $0.value !== leg }
        if agentForks[call]?.isEmpty == true { agentForks[call] = nil }
        await leg.close()
        logger.info("browser leg of the old business side closed", metadata: ["call_id": "\(call)"])
    }

    /// Holds or mutes a browser side. A SIP side holds by re-INVITE
    /// (`renegotiate`) and mutes at the phone, so the bridge ignores it there.
    func setBusinessMedia(_ call: CallID, _ state: BusinessMediaState, context: CallLogContext) async {
        calls[call]?.bridge.setBusinessMedia(held: state.held, muted: state.muted)
    }

    /// Ends a detach at `startBridging`: the new party's audio reaches WhatsApp.
    func joinBusinessIfDetached(_ call: CallID) {
        guard calls[call]?.businessDetached == true else { return }
        calls[call]?.businessDetached = false
        calls[call]?.bridge.joinBusiness()
    }

    /// Our SIP-side media description for a new offer on `port`: a new session
    /// id at version 1 and a new SDES key (used only if the phone takes SRTP).
    func newSIPLocalMedia(port: Int) -> SIPLocalMedia {
        SIPLocalMedia(address: config.general.localAddress(toward: nil), port: port, sessionID: Self.sessionID(),
                      sessionVersion: 1, sdesKeyAndSalt: Self.sdesKey())
    }

    /// What the bridge plays for `filler`: the configured ringback tone, silence,
    /// or the hold music (silence when none is configured).
    private func fillerSound(_ filler: BusinessFiller) -> FillerSound {
        switch filler {
        case .ringback: .ringback(RingbackTone(rawValue: config.general.ringbackTone.rawValue) ?? .us)
        case .silence: .silence
        case .music: holdMusic.map(FillerSound.music) ?? .silence
        }
    }

    /// The hold music's PCM. No hold-music file is configured in this build, so
    /// `.music` plays silence; a configured file's decoded samples plug in here.
    var holdMusic: HoldMusic? { nil }
}
