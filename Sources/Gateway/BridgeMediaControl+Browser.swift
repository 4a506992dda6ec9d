import CallControl
import Media
import SDP

/// Browsers as the business side of a call: one `.browser` WebRTC leg per ringing fork,
/// opened on the call's bridge loop; the winner attached, the others closed. Browser ⇄
/// WhatsApp media is Opus pass-through, so these calls keep Meta's leg on Opus.
extension BridgeMediaControl: AgentMedia {
    /// A browser only joins a call whose WhatsApp leg runs Opus (pass-through both
    /// ways). Meta's leg is G.711 only when a phone took the call on a number with
    /// `additional_codecs` and Meta listed G.711 first; such a call transferred to a
    /// user rings that user's phones, not the browsers (their fork fails with 503).
    func offerForAgent(call: CallID, fork: String) async throws(MediaFailure) -> String {
        guard let entry = calls[call] else { throw MediaFailure(.setupFailed, "no media for this call") }
        let whatsAppCodec = await entry.bridge.webrtc.statistics().codec
        guard whatsAppCodec.isEmpty || whatsAppCodec == AudioCodec.opus.encodingName else {
            throw MediaFailure(.incompatibleSDP, "the WhatsApp leg runs \(whatsAppCodec): a browser needs Opus end to end")
        }
        let leg = try await openBrowserLeg(on: entry.bridge)
        var local = leg.localParameters(setup: .actpass, sessionID: Self.sessionID())
        local.opusFormatParameters = WebRTCSDP.browserOpusParameters(whatsApp: whatsAppOpusParameters(entry))
        do {
            let offer = try WebRTCSDP.browserOffer(local: local).serialized()
            agentForks[call, default: [:]][fork] = leg
            return offer
        } catch {
            await leg.close()
            throw MediaFailure(.setupFailed, "could not build the browser offer: \(error)")
        }
    }

    func agentAnswered(call: CallID, fork: String, sdp: String) async throws(MediaFailure) {
        guard let entry = calls[call], let leg = agentForks[call]?[fork] else {
            throw MediaFailure(.setupFailed, "no ringing browser \(fork) on this call")
        }
        guard let remote = try? WebRTCRemoteParameters(parsing: Array(sdp.utf8)) else {
            throw MediaFailure(.incompatibleSDP, "the browser's answer is not a WebRTC audio answer")
        }
        leg.start(remote: remote, ourSetup: .actpass)
        await entry.bridge.attachBrowser(leg)
        watchBrowserLeg(leg, call, fork: fork)
        let losers = (agentForks[call] ?? [:]).filter { $0.key != fork }
        agentForks[call] = [fork: leg]
        for (_, other) in losers { await other.close() }
        logger.info("browser attached", metadata: ["call_id": "\(call)", "fork": "\(fork)"])
    }

    func answerForAgent(call: CallID) async -> String? {
        guard agentForks[call]?[AgentFork.outbound] != nil else { return nil }
        return calls[call]?.lastSent?.serialized()
    }

    func releaseAgentFork(call: CallID, fork: String) async {
        guard let leg = agentForks[call]?.removeValue(forKey: fork) else { return }
        if agentForks[call]?.isEmpty == true { agentForks[call] = nil }
        await leg.close()
    }

    /// Closes every browser leg of a call (at its end).
    func closeAgentLegs(_ call: CallID) async {
        for (_, leg) in agentForks.removeValue(forKey: call) ?? [:] { await leg.close() }
    }

    /// A browser that dials out: its WebRTC offer opens the bridge with a browser
    /// business side (Meta offered Opus only: nothing to transcode), and the browser
    /// leg's answer goes back as the "SIP answer".
    func openOutboundBrowser(_ call: CallID, offer: SessionDescription, number: WhatsAppNumberID, context: CallLogContext)
        async throws(MediaFailure) -> OutboundMediaSession {
        let bridge = try await openBridge(call, sampleRate: 16_000, whatsAppCodecs: [.opus], context: context,
                                          mode: whatsAppLegMode(number: number))
        do {
            let leg = try await openBrowserLeg(on: bridge)
            let remote = try WebRTCRemoteParameters(offer)
            let answer = try WebRTCSDP.browserAnswer(toOffer: offer, local: leg.localParameters(setup: .passive, sessionID: Self.sessionID()))
            leg.start(remote: remote, ourSetup: .passive)
            await bridge.attachBrowser(leg)
            watchBrowserLeg(leg, call, fork: AgentFork.outbound)
            let (whatsAppOffer, sdes) = try self.whatsAppOffer(on: bridge, number: number)
            let local = SIPLocalMedia(address: config.general.localAddress(toward: nil), port: bridge.sipPort,
                                      sessionID: Self.sessionID(), sessionVersion: 1, sdesKeyAndSalt: Self.sdesKey())
            var entry = Entry(bridge: bridge, negotiator: makeNegotiator(), local: local)
            entry.lastSent = answer
            entry.sdes = sdes
            entry.pump = pump(bridge, call)
            calls[call] = entry
            agentForks[call] = [AgentFork.outbound: leg]
            return OutboundMediaSession(whatsAppOffer: whatsAppOffer, sipAnswer: answer.serialized())
        } catch let failure as MediaFailure {
            await bridge.close()
            throw failure
        } catch {
            await bridge.close()
            throw MediaFailure(.incompatibleSDP, "the browser's offer cannot be answered: \(error)")
        }
    }

    /// Sets who hears that an attached browser closed its PeerConnection.
    func onBrowserLeft(_ handler: @escaping @Sendable (CallID, String) async -> Void) {
        browserLeft = handler
    }

    /// The attached browser leg failing (ICE consent lost after 30 s without the
    /// browser's checks, setup timeout) ends the business side's media as an RTP
    /// timeout on a phone does. A browser that closes its PeerConnection on purpose
    /// (DTLS close_notify) has hung up, as a phone's BYE says: a page can close it
    /// before its `hangup` message arrives, and the call then ends normally by the
    /// agent, not as a media failure (Janus likewise hangs up on a DTLS close).
    /// The task ends with the leg's events.
    private func watchBrowserLeg(_ leg: WebRTCLeg, _ call: CallID, fork: String) {
        Task { [weak self] in
            for await event in leg.events {
                switch event {
                case .failed(let reason):
                    self?.logger.warning("browser media leg failed", metadata: ["call_id": "\(call)", "reason": "\(reason)"])
                    await self?.control?.handleMedia(.rtpTimeout(.sip), for: call)
                case .peerClosed:
                    self?.logger.info("browser closed its media", metadata: ["call_id": "\(call)"])
                    await self?.browserLeft?(call, fork)
                default:
                    continue
                }
            }
        }
    }

    private func openBrowserLeg(on bridge: MediaBridge) async throws(MediaFailure) -> WebRTCLeg {
        var configuration = WebRTCLegConfiguration(
            mode: .browser, bindHost: config.general.rtpBindHost, candidateAddresses: [config.general.localAddress(toward: nil)],
            externalAddress: config.general.externalAddress, sampleRate: 16_000)
        configuration.setupTimeout = .seconds(15)
        do {
            return try await bridge.openBrowserLeg(configuration: configuration, allocator: ports, logger: logger)
        } catch {
            throw MediaFailure(.resources, "no free RTP port in rtp_port_range")
        }
    }

    /// The Opus fmtp Meta offered on this call, if known (inbound calls).
    private func whatsAppOpusParameters(_ entry: Entry) -> FormatParameters? {
        guard let offer = entry.whatsAppOffer, let remote = try? WebRTCRemoteParameters(parsing: Array(offer.utf8)) else { return nil }
        return remote.opusParameters
    }
}
