import CallControl
import Media
import SDP

/// Internal calls (a user dialling a user or a group). A calling browser gets a
/// bridge whose first leg is a `.browser` WebRTC leg facing it (ICE-lite, DTLS
/// server, Opus), in the place Meta's leg has on a WhatsApp call; the business
/// side is whoever answers: a phone on the bridge's RTP port, transcoded exactly as
/// phone ⇄ WhatsApp is, or a browser fork attached by the agent adapter, passed
/// through. A calling phone gets direct media: its SDP goes to the forks unchanged
/// and the winner's answer comes back, so the two phones exchange RTP themselves
/// (Asterisk's `direct_media`; both must reach each other). A phone calling a
/// browser is not anchored, so browser forks of a phone's internal call do not ring.
extension BridgeMediaControl {
    func openInternal(_ call: CallID, callerOffer: String?, browserTargets: Bool, context: CallLogContext)
        async throws(MediaFailure) -> InternalMediaSession {
        guard let callerOffer else {
            throw MediaFailure(.incompatibleSDP, "an internal call needs an SDP offer in the INVITE")
        }
        guard let parsed = try? SessionDescription(parsing: callerOffer), SDPMediaProfile.detect(parsed) == .webRTC else {
            return InternalMediaSession(forkOffer: callerOffer, callerAnswer: nil)
        }
        let rate = config.media.codecs.first == .g722 ? 16_000 : 8_000
        let bridge = try await openBridge(call, sampleRate: rate, whatsAppCodecs: [.opus], context: context, mode: .browser)
        do {
            let remote = try WebRTCRemoteParameters(parsed)
            let answer = try WebRTCSDP.browserAnswer(
                toOffer: parsed, local: bridge.webrtc.localParameters(setup: .passive, sessionID: Self.sessionID()))
            bridge.webrtc.start(remote: remote, ourSetup: .passive, sending: false)
            let negotiator = makeNegotiator()
            let local = newSIPLocalMedia(port: bridge.sipPort)
            let offer = try negotiator.offer(local: local)
            var entry = Entry(bridge: bridge, negotiator: negotiator, local: local, sipOffer: offer.serialized(),
                              lastSent: offer)
            entry.pump = pump(bridge, call)
            calls[call] = entry
            logger.info("internal call anchored", metadata: context.metadata.merging(["rtp_port": "\(bridge.sipPort)"]) { $1 })
            return InternalMediaSession(forkOffer: offer.serialized(), callerAnswer: answer.serialized())
        } catch {
            await bridge.close()
            throw MediaFailure(.incompatibleSDP, "the browser's offer cannot be answered: \(error)")
        }
    }
}

extension BridgeMediaControl {
    /// The attached browser leaves the call's bridge and its leg is closed (its
    /// transfer completed); WhatsApp hears the next business side alone.
    func detachAgentSide(call: CallID) async {
        guard let entry = calls[call] else { return }
        let leg = await entry.bridge.detachBrowser()
        agentForks[call] = nil
        await leg?.close()
        logger.info("browser side detached", metadata: ["call_id": "\(call)"])
    }
}
