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
/// PCMU/PCMA fails with `incompatibleSDP` (488). When the phone sends no RTP for
/// `[media] rtp_timeout`, call control hears ``MediaEvent/rtpTimeout(_:)`` and ends
/// the call with BYE.
actor EchoMediaService: EchoMedia {
    let config: GatewayConfig
    let ports: RTPPortAllocator
    let group: any EventLoopGroup
    let logger: Logger
    private weak var control: CallControl?
    private var sessions: [CallID: RTPEchoSession] = [:]

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

    func openEcho(_ call: CallID, sipOffer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        let offer = Array((sipOffer ?? "").utf8)
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(
            codecs: config.media.codecs.compactMap(\.g711), srtp: .disabled))
        let peer = sipOffer.flatMap(BridgeMediaControl.connectionAddress)
        let address = config.general.localAddress(toward: peer ?? "127.0.0.1")
        let sessionID = UInt64.random(in: 1...UInt64(Int64.max))
        let probe = SIPLocalMedia(address: address, port: 9, sessionID: sessionID, sessionVersion: 1)
        let trial: SIPAudioNegotiator.Answer
        switch negotiator.answer(toOfferBytes: offer, local: probe) {
        case .success(let answer): trial = answer
        case .failure(let rejection): throw MediaFailure(.incompatibleSDP, rejection.text)
        }
        let primary = trial.audio.primary
        let parameters = RTPEchoSession.Parameters(
            law: primary.codec == AudioCodec.pcma ? G711Codec.Law.alaw : G711Codec.Law.ulaw,
            payloadType: primary.payloadType, telephoneEventPayloadType: trial.audio.telephoneEventPayloadType,
            remote: try? SocketAddress(ipAddress: trial.audio.remoteAddress, port: trial.audio.remotePort),
            learnsAnySource: config.media.symmetricRTP, probation: config.media.rtpProbation)
        let session = try await start(call, parameters: parameters)
        let local = SIPLocalMedia(address: address, port: session.port, sessionID: sessionID, sessionVersion: 1)
        guard case .success(let answer) = negotiator.answer(toOfferBytes: offer, local: local) else {
            await session.stop()
            throw MediaFailure(.incompatibleSDP, "the SIP offer could not be answered")
        }
        sessions[call] = session
        var log = logger
        for field in context.fields { log[metadataKey: field.key] = "\(field.value)" }
        log.info("echo call answered", metadata: ["codec": "\(primary.codec)", "rtp_port": "\(session.port)"])
        return answer.sdp.serialized()
    }

    func closeEcho(_ call: CallID, context: CallLogContext) async {
        guard let session = sessions.removeValue(forKey: call) else { return }
        await session.stop()
        var log = logger
        for field in context.fields { log[metadataKey: field.key] = "\(field.value)" }
        log.info("echo call ended")
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
        guard sessions[call] != nil else { return }
        await control?.handleMedia(.rtpTimeout(.sip), for: call)
    }
}
