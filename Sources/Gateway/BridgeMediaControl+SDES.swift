import CallControl
import Config
import Media
import SDP

/// The WhatsApp leg of a SIP-mode number whose Meta setting
/// `srtp_key_exchange_protocol` is SDES (`srtp = sdes`): `RTP/SAVP` with
/// `a=crypto` instead of ICE and DTLS, chosen here so that call control never
/// knows. Outbound calls offer SDES when the number says so; inbound calls follow
/// Meta's offer (an SDES offer gets an SDES answer whatever the setting, as
/// FreeSWITCH picks the media profile from the SDP). The leg is started with both
/// keys when the exchange is complete and reports `connected` at once, there being
/// no handshake; it sends from that moment, since Meta waits for the business's
/// first packet.
extension BridgeMediaControl {
    /// Where an SDES leg's offer/answer stands.
    enum SDESExchange: Sendable {
        /// We offered (outbound): our offer and the parameters it was built with.
        case offered(SessionDescription, SDESLocalParameters)
        /// Both keys are known (inbound answer made, or Meta's answer read).
        case agreed(SDESMediaParameters)
    }

    /// Whether calls through `number` offer SDES to Meta (`srtp = sdes` on a SIP-mode number).
    func offersSDES(_ number: WhatsAppNumberID) -> Bool {
        config.number(withID: number.rawValue)?.metaSIP?.srtp == .sdes
    }

    /// The WhatsApp offer of an outbound call on `bridge`: SDES for an SDES number, else WebRTC.
    func whatsAppOffer(on bridge: MediaBridge, number: WhatsAppNumberID) throws(SDPError) -> (String, SDESExchange?) {
        guard offersSDES(number) else {
            let local = bridge.webrtc.localParameters(setup: .actpass, sessionID: Self.sessionID())
            return (try WebRTCSDP.offer(local: local).serialized(), nil)
        }
        let local = bridge.webrtc.sdesLocalParameters(sessionID: Self.sessionID())
        let offer = try SDESSDP.offer(local: local)
        return (offer.serialized(), .offered(offer, local))
    }

    /// The answer to Meta's offer on `bridge`: SDES for an SDES offer, else WebRTC with our DTLS role.
    func whatsAppAnswer(to offer: SessionDescription, on bridge: MediaBridge) throws(SDPError) -> (String, SDESExchange?) {
        guard SDPMediaProfile.detect(offer) == .sdes else {
            let role: SetupRole = config.whatsapp.dtlsRole == .server ? .passive : .active
            let local = bridge.webrtc.localParameters(setup: role, sessionID: Self.sessionID())
            return (try WebRTCSDP.answer(toOffer: offer, local: local).serialized(), nil)
        }
        let answer = try SDESSDP.answer(toOffer: offer, local: bridge.webrtc.sdesLocalParameters(sessionID: Self.sessionID()))
        return (answer.sdp.serialized(), .agreed(answer.media))
    }

    /// The codecs Meta's offer lists (nil when it is neither a WebRTC nor an SDES audio offer).
    static func whatsAppOfferedAudio(_ offer: SessionDescription) -> [WebRTCAudioPayload]? {
        if SDPMediaProfile.detect(offer) == .sdes {
            let listed = SDESSDP.offeredAudio(in: offer)
            return listed.isEmpty ? nil : listed
        }
        return (try? WebRTCRemoteParameters(offer))?.audioPayloads
    }

    /// The WhatsApp leg's mode for a call through `number` answering or making `offer`.
    func whatsAppLegMode(number: WhatsAppNumberID, metaOffer offer: SessionDescription? = nil) -> WebRTCLegConfiguration.Mode {
        if let offer { return SDPMediaProfile.detect(offer) == .sdes ? .sdes : .gateway }
        return offersSDES(number) ? .sdes : .gateway
    }

    /// Starts an SDES leg: with the agreed keys, or after reading Meta's answer to our offer.
    func startSDES(_ call: CallID, exchange: SDESExchange, remoteAnswer: String?, bridge: MediaBridge,
                   context: CallLogContext) async {
        let media: SDESMediaParameters
        switch exchange {
        case .agreed(let agreed):
            media = agreed
        case .offered(let offer, let local):
            do {
                guard let remoteAnswer else { throw SDPError(.missingAttribute, "no answer from Meta") }
                media = try SDESSDP.complete(offer: offer, answer: SessionDescription(parsing: remoteAnswer), local: local)
                calls[call]?.sdes = .agreed(media)
            } catch {
                await control?.handleMedia(.failed("the WhatsApp SDES answer is not usable: \(error)"), for: call)
                return
            }
        }
        logger.info("WhatsApp leg keyed by SDES", metadata: context.metadata.merging([
            "suite": "\(media.keys.suite.rawValue)", "peer": "\(media.remoteAddress):\(media.remotePort)",
            "rtcp_mux": "\(media.rtcpMux)"]) { $1 })
        bridge.webrtc.start(sdes: media)
    }
}
