import CallControl
import Config
import Foundation
import Logging
import Media
import NIOCore
import SDP

/// Call control's `MediaControl` over `MediaBridge`: the SIP side's SDP
/// offer/answer (G.711/G.722/Opus, telephone-event), done once per offer by
/// the call's `SIPAudioNegotiator`, the WhatsApp side's WebRTC SDP, one
/// bridge per call, and the bridge's events turned into
/// `MediaEvent`s for call control. The WhatsApp leg connects (ICE, DTLS) as soon
/// as both SDPs are known but sends no media until `startBridging` (a WhatsApp
/// client takes the first packet as "answered").
actor BridgeMediaControl: MediaControl {
    struct Entry {
        var bridge: MediaBridge
        var negotiator: SIPAudioNegotiator
        var local: SIPLocalMedia
        /// Our SIP offer waiting for its answer (inbound calls, late offer,
        /// re-INVITE without SDP), to complete with the answer.
        var sipOffer: String?
        /// The SDP we last sent on the SIP leg (its `o=` line versions the next one).
        var lastSent: SessionDescription?
        /// The WhatsApp offer we received (inbound), to start ICE/DTLS with.
        var whatsAppOffer: String?
        /// The SDES exchange of an SDES-keyed WhatsApp leg (`+SDES`); nil for ICE and DTLS.
        var sdes: SDESExchange?
        var pump: Task<Void, Never>?
        /// The business side is detached (a transfer): a filler plays until `startBridging`.
        var businessDetached = false
        /// A re-offer made while the business side stays attached (an attended
        /// transfer's INVITE with Replaces): its media and SDP, adopted when its
        /// answer arrives; until then the transferor keeps the call's media.
        var pendingReoffer: (local: SIPLocalMedia, offer: SessionDescription)?
    }

    let config: GatewayConfig
    let ports: RTPPortAllocator
    let group: any EventLoopGroup
    let logger: Logger
    weak var control: CallControl?
    /// Where each call's codecs, media figures and recording go when its bridge closes.
    var mediaRecords: StoreCallRecords?
    var calls: [CallID: Entry] = [:]
    /// Each call's browser legs: the ringing forks, then the attached one (`+Browser`).
    var agentForks: [CallID: [String: WebRTCLeg]] = [:]
    /// Told (call, fork) when an attached browser closes its PeerConnection (the agent adapter
    /// turns it into the agent's hang-up).
    var browserLeft: (@Sendable (CallID, String) async -> Void)?
    /// Where each call's quality at its end and WhatsApp-leg failures are counted.
    let metrics: GatewayMetrics?

    init(config: GatewayConfig, ports: RTPPortAllocator, group: any EventLoopGroup, logger: Logger,
         metrics: GatewayMetrics? = nil) {
        self.metrics = metrics
        self.config = config
        self.ports = ports
        self.group = group
        self.logger = logger
    }

    func attach(_ control: CallControl, records: StoreCallRecords? = nil) {
        self.control = control
        mediaRecords = records
    }

    // MARK: - Opening

    func openOutbound(_ call: CallID, sipOffer: String?, number: WhatsAppNumberID, context: CallLogContext)
        async throws(MediaFailure) -> OutboundMediaSession {
        if let sipOffer, let parsed = try? SessionDescription(parsing: sipOffer), SDPMediaProfile.detect(parsed) == .webRTC {
            return try await openOutboundBrowser(call, offer: parsed, number: number, context: context)
        }
        let negotiator = makeNegotiator()
        let peer = sipOffer.flatMap(Self.connectionAddress)
        var local = SIPLocalMedia(address: config.general.localAddress(toward: peer), port: 9, sessionID: Self.sessionID(), sessionVersion: 1,
                                  sdesKeyAndSalt: Self.sdesKey())
        // One offer/answer: the agreed codec sets the bridge's rate, and the
        // answer gets the RTP port once the leg is bound.
        var answer: SIPAudioNegotiator.Answer?
        if let sipOffer {
            switch negotiator.answer(toOfferBytes: Array(sipOffer.utf8), local: local) {
            case .success(let agreed): answer = agreed
            case .failure(let rejection): throw MediaFailure(.incompatibleSDP, rejection.text)
            }
        }
        let rate = answer.map { SIPMediaCodec($0.audio.primary.codec, payloadType: $0.audio.primary.payloadType).sampleRate }
        let bridge = try await openBridge(call, sampleRate: rate ?? 8_000,
                                          whatsAppCodecs: outboundWhatsAppCodecs(sipCodec: answer?.audio.primary.codec,
                                                                                 number: number),
                                          context: context, mode: whatsAppLegMode(number: number))
        local.port = bridge.sipPort
        var entry = Entry(bridge: bridge, negotiator: negotiator, local: local)
        let sipSDP: SessionDescription
        if var answer {
            answer.sdp.media[answer.audio.mediaIndex].port = bridge.sipPort
            bridge.setSIPLeg(SIPLegParameters(answer.audio), answered: false)  // our 200 follows ACCEPTED
            sipSDP = answer.sdp
        } else {
            guard let offer = try? negotiator.offer(local: local) else {
                await bridge.close()
                throw MediaFailure(.setupFailed, "could not build a SIP offer")
            }
            entry.sipOffer = offer.serialized()
            sipSDP = offer
        }
        entry.lastSent = sipSDP
        let sipAnswer = sipSDP.serialized()
        let whatsAppOffer: String
        do {
            (whatsAppOffer, entry.sdes) = try self.whatsAppOffer(on: bridge, number: number)
        } catch {
            await bridge.close()
            throw MediaFailure(.setupFailed, "could not build the WhatsApp offer: \(error)")
        }
        entry.pump = pump(bridge, call)
        calls[call] = entry
        return OutboundMediaSession(whatsAppOffer: whatsAppOffer, sipAnswer: sipAnswer)
    }

    func openInbound(_ call: CallID, whatsAppOffer: String, number: WhatsAppNumberID, preferOpus: Bool,
                     context: CallLogContext) async throws(MediaFailure) -> InboundMediaSession {
        try await openInbound(call, whatsAppOffer: whatsAppOffer, number: number, context: context, preferOpus: preferOpus)
    }

    /// `openInbound`, with `preferOpus` when the plan can ring a browser: Meta's leg is
    /// then answered with Opus whatever Meta's order (a browser passes it through; a phone
    /// that wins transcodes, as any G.711 phone does on an Opus leg).
    func openInbound(_ call: CallID, whatsAppOffer: String, number: WhatsAppNumberID, context: CallLogContext, preferOpus: Bool)
        async throws(MediaFailure) -> InboundMediaSession {
        guard let parsed = try? SessionDescription(parsing: whatsAppOffer), let offered = Self.whatsAppOfferedAudio(parsed) else {
            throw MediaFailure(.incompatibleSDP, "the WhatsApp offer is not a WebRTC or SDES audio offer")
        }
        let negotiator = makeNegotiator()
        // Meta's order decides (RFC 3264): G.711 on this leg only when Meta lists it before Opus.
        let allowed = [AudioCodec.opus] + additionalCodecs(number)
        let g711 = !preferOpus && (offered.first { allowed.contains($0.codec) }.map { $0.codec != .opus } ?? false)
        let preferred = g711 ? 8_000 : config.media.codecs.first == .g722 ? 16_000 : 8_000
        let bridge = try await openBridge(call, sampleRate: preferred, whatsAppCodecs: g711 ? allowed : [.opus], context: context,
                                          mode: whatsAppLegMode(number: number, metaOffer: parsed))
        let local = newSIPLocalMedia(port: bridge.sipPort)
        do {
            let (answer, sdes) = try whatsAppAnswer(to: parsed, on: bridge)
            let offer = try negotiator.offer(local: local)
            let sipOffer = offer.serialized()
            var entry = Entry(bridge: bridge, negotiator: negotiator, local: local, sipOffer: sipOffer,
                              lastSent: offer, whatsAppOffer: whatsAppOffer, sdes: sdes)
            entry.pump = pump(bridge, call)
            calls[call] = entry
            return InboundMediaSession(sipOffer: sipOffer, whatsAppAnswer: answer)
        } catch {
            await bridge.close()
            throw MediaFailure(.setupFailed, "\(error)")
        }
    }

    /// The laws of the number's `additional_codecs` (`[whatsapp] additional_codecs` by default).
    private func additionalCodecs(_ number: WhatsAppNumberID) -> [AudioCodec] {
        (config.number(withID: number.rawValue)?.additionalCodecs ?? config.whatsapp.additionalCodecs).compactMap(\.g711)
    }

    /// What the WhatsApp offer lists: with a G.711 phone and G.711 enabled on the
    /// number, the phone's law first (no Opus work at all when Meta takes it), the
    /// other law, then Opus; otherwise Opus only.
    private func outboundWhatsAppCodecs(sipCodec: AudioCodec?, number: WhatsAppNumberID) -> [AudioCodec] {
        let additional = additionalCodecs(number)
        guard let sipCodec, sipCodec == .pcmu || sipCodec == .pcma, !additional.isEmpty else { return [.opus] }
        let laws = additional.contains(sipCodec) ? [sipCodec] + additional.filter { $0 != sipCodec } : additional
        return laws + [.opus]
    }

    /// Opens a call's bridge; its first leg faces Meta (`.gateway`), or a calling browser (`.browser`).
    func openBridge(_ call: CallID, sampleRate: Int, whatsAppCodecs: [AudioCodec], context: CallLogContext,
                    mode: WebRTCLegConfiguration.Mode = .gateway) async throws(MediaFailure) -> MediaBridge {
        let media = config.media
        var webRTC = WebRTCLegConfiguration(
            mode: mode, bindHost: config.general.rtpBindHost, candidateAddresses: [config.general.localAddress(toward: nil)],
            externalAddress: config.general.externalAddress, sampleRate: sampleRate, opusBitrate: media.opusBitrate,
            opusComplexity: media.opusComplexity)
        webRTC.setupTimeout = .seconds(15)
        webRTC.opusSourceBand = media.opusSourceBand
        webRTC.audioCodecs = sampleRate == 8_000 ? whatsAppCodecs : [.opus]
        var configuration = MediaBridgeConfiguration(
            webRTC: webRTC, sipBindHost: config.general.rtpBindHost, jitterBufferMin: media.jitterBufferMin,
            jitterBufferMax: media.jitterBufferMax, rtpInactivityTimeout: media.rtpTimeout ?? .seconds(86_400),
            symmetricRTP: media.symmetricRTP ? .anyAddress : .off, recordingDirectory: media.recordingDirectory,
            label: call.rawValue)
        configuration.strictRTP = media.strictRTP
        configuration.recordsFromStart = media.recordingMode == .always
        configuration.rtpProbation = media.rtpProbation
        do {
            return try await MediaBridge.open(configuration: configuration, allocator: ports, group: group, logger: logger)
        } catch MediaError.portsExhausted {
            throw MediaFailure(.resources, "no free RTP port in rtp_port_range")
        } catch {
            throw MediaFailure(.setupFailed, "\(error)")
        }
    }
}
