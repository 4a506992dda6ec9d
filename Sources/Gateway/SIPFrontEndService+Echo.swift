import Codecs
import Config
import Logging
import Media
import NIOCore
import SDP
import SIP

extension SIPFrontEndService {
    /// The echo test (`[general] echo_extension`, `*43` by default): answer at
    /// once with G.711 and send back what the phone sends, decoded and re-encoded.
    /// SRTP and other codecs are not offered here; an offer without PCMU/PCMA gets 488.
    func answerEcho(_ handle: SIPHandle, _ request: SIPRequest, logger: Logger) async {
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(
            codecs: config.media.codecs.compactMap(\.g711), srtp: .disabled
        ))
        let address = localMediaAddress(toward: request.source.host)
        let sessionID = UInt64.random(in: 1...UInt64(Int64.max))
        let probe = SIPLocalMedia(address: address, port: 9, sessionID: sessionID, sessionVersion: 1)
        guard case .success(let trial) = negotiator.answer(toOfferBytes: request.body, local: probe) else {
            if case .failure(let rejection) = negotiator.answer(toOfferBytes: request.body, local: probe) {
                stack.send(SIPCommand.respond(handle, status: rejection.sipStatus, phrase: "Not Acceptable Here", sdp: nil,
                                    headers: ["Warning: " + rejection.warningHeaderValue(agent: "wagate")]))
            }
            return
        }
        let primary = trial.audio.primary
        let parameters = RTPEchoSession.Parameters(
            law: primary.codec == AudioCodec.pcma ? G711Codec.Law.alaw : G711Codec.Law.ulaw, payloadType: primary.payloadType,
            telephoneEventPayloadType: trial.audio.telephoneEventPayloadType,
            remote: try? SocketAddress(ipAddress: trial.audio.remoteAddress, port: trial.audio.remotePort),
            learnsAnySource: config.media.symmetricRTP, probation: config.media.rtpProbation
        )
        do {
            let session = try await RTPEchoSession.start(
                host: rtpBindHost, allocator: ports, parameters: parameters, group: group, logger: logger)
            let local = SIPLocalMedia(address: address, port: session.port, sessionID: sessionID, sessionVersion: 1)
            guard case .success(let answer) = negotiator.answer(toOfferBytes: request.body, local: local) else {
                await session.stop()
                return
            }
            echoCalls[handle] = session
            let delay = config.general.echoAnswerDelay
            let sdp = answer.sdp.serialized()
            if delay > .zero {
                // Ring on a separate task so events (CANCEL) keep flowing meanwhile.
                stack.send(SIPCommand.respond(handle, status: 180, phrase: "Ringing", sdp: nil, headers: []))
                Task {
                    try? await Task.sleep(for: delay)
                    self.answerRingingEcho(handle, sdp: sdp)
                }
            } else {
                stack.send(SIPCommand.respond(handle, status: 200, phrase: "OK", sdp: sdp, headers: []))
            }
            logger.info("echo call answered", metadata: ["codec": "\(primary.codec)", "rtp_port": "\(session.port)"])
        } catch {
            logger.warning("echo call refused", metadata: ["error": "\(error)"])
            stack.send(SIPCommand.respond(handle, status: 503, phrase: "Service Unavailable", sdp: nil,
                                headers: ["Warning: 399 wagate \"\(error)\""]))
        }
    }

    /// Answers an echo call that was ringing, unless it was cancelled meanwhile.
    private func answerRingingEcho(_ handle: SIPHandle, sdp: String) {
        guard echoCalls[handle] != nil else { return }
        stack.send(SIPCommand.respond(handle, status: 200, phrase: "OK", sdp: sdp, headers: []))
    }

    /// Where RTP sockets bind: the first SIP listener's host (a wildcard is fine).
    nonisolated var rtpBindHost: String {
        config.general.listeners.first?.address.host ?? "0.0.0.0"
    }

    /// The address for our `c=` line: the external address when the phone is not
    /// on a local network, else the listener's address, else the route toward the phone.
    nonisolated func localMediaAddress(toward peer: String) -> String {
        if let external = config.general.externalAddress, !config.general.isLocal(peer) { return external }
        let host = rtpBindHost
        if host != "0.0.0.0" && host != "::" { return host }
        return LocalAddressResolver.localAddress(toward: peer) ?? "127.0.0.1"
    }
}
