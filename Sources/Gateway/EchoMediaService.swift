import CallControl
import Codecs
import Config
import Logging
import Media
import NIOCore
import SDP

/// Call control's `EchoMedia`: the echo test's RTP (`[general] echo_extension`,
/// `*43` by default). It answers with G.711 and sends back what the phone sends,
/// decoded and re-encoded. SRTP and other codecs are not offered; an offer without
/// PCMU/PCMA fails with `incompatibleSDP` (488). A late-offer INVITE gets an offer
/// of the first configured law in the 200, and the ACK's answer points the echo at
/// the phone. Re-INVITE/UPDATE offers are answered with the law the call started
/// with (hold, resume, new address, refresh); an offer without it gets 488. When
/// the phone sends no RTP for `[media] rtp_timeout`, call control hears
/// ``MediaEvent/rtpTimeout(_:)`` and ends the call with BYE.
actor EchoMediaService: EchoMedia {
    /// One echo call: its socket, the negotiator of its law, and our SDP state.
    private struct EchoCall {
        var session: RTPEchoSession
        var negotiator: SIPAudioNegotiator
        var local: SIPLocalMedia
        var lastSent: SessionDescription?
        var pendingOffer: SessionDescription?
    }

    let config: GatewayConfig
    let ports: RTPPortAllocator
    let group: any EventLoopGroup
    let logger: Logger
    private weak var control: CallControl?
    private var calls: [CallID: EchoCall] = [:]

    init(config: GatewayConfig, ports: RTPPortAllocator, group: any EventLoopGroup, logger: Logger) {
        self.config = config
        self.ports = ports
        self.group = group
        self.logger = logger
    }

    /// Where RTP timeouts are reported.
    func attach(_ control: CallControl) {
        self.control = control
    }

    private static func negotiator(_ laws: [AudioCodec]) -> SIPAudioNegotiator {
        SIPAudioNegotiator(configuration: SIPAudioConfiguration(codecs: laws, srtp: .disabled))
    }

    func openEcho(_ call: CallID, sipOffer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        let laws = config.media.codecs.compactMap(\.g711)
        guard let firstLaw = laws.first else { throw MediaFailure(.incompatibleSDP, "no G.711 codec configured") }
        let peer = sipOffer.flatMap(BridgeMediaControl.connectionAddress)
        var local = SIPLocalMedia(address: config.general.localAddress(toward: peer ?? "127.0.0.1"), port: 9,
                                  sessionID: UInt64.random(in: 1...UInt64(Int64.max)), sessionVersion: 1)
        var answer: SIPAudioNegotiator.Answer?
        if let sipOffer {
            switch Self.negotiator(laws).answer(toOfferBytes: Array(sipOffer.utf8), local: local) {
            case .success(let agreed): answer = agreed
            case .failure(let rejection): throw MediaFailure(.incompatibleSDP, rejection.text)
            }
        }
        let law = answer?.audio.primary.codec ?? firstLaw
        let parameters = RTPEchoSession.Parameters(
            law: law == AudioCodec.pcma ? G711Codec.Law.alaw : G711Codec.Law.ulaw,
            payloadType: answer?.audio.primary.payloadType ?? law.staticPayloadType ?? 0,
            telephoneEventPayloadType: answer?.audio.telephoneEventPayloadType,
            remote: answer.flatMap { try? SocketAddress(ipAddress: $0.audio.remoteAddress, port: $0.audio.remotePort) },
            learnsAnySource: config.media.symmetricRTP, probation: config.media.rtpProbation)
        let session = try await start(call, parameters: parameters)
        local.port = session.port
        var entry = EchoCall(session: session, negotiator: Self.negotiator([law]), local: local)
        let sent: SessionDescription
        if var answer {
            answer.sdp.media[answer.audio.mediaIndex].port = session.port
            sent = answer.sdp
        } else {
            guard let offer = try? entry.negotiator.offer(local: local) else {
                await session.stop()
                throw MediaFailure(.setupFailed, "could not build the echo offer")
            }
            entry.pendingOffer = offer
            sent = offer
        }
        entry.lastSent = sent
        calls[call] = entry
        log(context).info("echo call answered", metadata: ["codec": "\(law)", "rtp_port": "\(session.port)",
                                                           "offer": sipOffer == nil ? "ours" : "theirs"])
        return sent.serialized()
    }

    func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        guard var entry = calls[call] else { throw MediaFailure(.setupFailed, "the echo call has no media") }
        let sent: SessionDescription
        switch entry.negotiator.renegotiate(offer: offer, local: entry.local, lastSent: entry.lastSent) {
        case .failure(let rejection):
            throw MediaFailure(.incompatibleSDP, rejection.text)
        case .success(.answer(let answer, let audio)):
            follow(entry.session, audio)
            sent = answer
        case .success(.offer(let ours)):
            entry.pendingOffer = ours
            sent = ours
        }
        entry.lastSent = sent
        calls[call] = entry
        return sent.serialized()
    }

    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        guard var entry = calls[call], let offer = entry.pendingOffer else { return }
        entry.pendingOffer = nil
        calls[call] = entry
        guard let theirs = try? SessionDescription(parsing: Array(sdp.utf8)),
              case .success(let agreed) = entry.negotiator.complete(offer: offer, answer: theirs, local: entry.local)
        else {
            log(context).warning("the phone's answer could not be applied to the echo")
            return
        }
        follow(entry.session, agreed)
    }

    private func follow(_ session: RTPEchoSession, _ audio: NegotiatedAudio) {
        session.follow(remote: try? SocketAddress(ipAddress: audio.remoteAddress, port: audio.remotePort),
                       telephoneEventPayloadType: audio.telephoneEventPayloadType)
    }

    private func log(_ context: CallLogContext) -> Logger {
        var log = logger
        for field in context.fields { log[metadataKey: field.key] = "\(field.value)" }
        return log
    }

    func closeEcho(_ call: CallID, context: CallLogContext) async {
        guard let entry = calls.removeValue(forKey: call) else { return }
        await entry.session.stop()
        log(context).info("echo call ended")
    }

    private func start(_ call: CallID, parameters: RTPEchoSession.Parameters) async throws(MediaFailure)
        -> RTPEchoSession {
        do {
            return try await RTPEchoSession.start(
                host: config.general.rtpBindHost, allocator: ports, parameters: parameters, group: group,
                inactivityTimeout: config.media.rtpTimeout,
                onInactive: { [weak self] in Task { await self?.inactive(call) } }, logger: logger)
        } catch {
            throw MediaFailure(.resources, "\(error)")
        }
    }

    private func inactive(_ call: CallID) async {
        guard calls[call] != nil else { return }
        await control?.handleMedia(.rtpTimeout(.sip), for: call)
    }
}
