/// Which simulated-user media plays a SIP-mode call, chosen per call by the
/// number's `srtp_key_exchange_protocol`: DTLS (ICE-lite + DTLS-SRTP, the
/// simulator's WebRTC media) or SDES (`RTP/SAVP` + `a=crypto`).
enum SimulatedMetaSIPMedia: Sendable, Equatable {
    /// ICE + DTLS-SRTP.
    case dtls
    /// SDES-SRTP.
    case sdes

    /// The kind a number's calling settings ask for (DTLS unless SDES).
    init(srtpKeyExchangeProtocol: String?) {
        self = srtpKeyExchangeProtocol?.uppercased() == "SDES" ? .sdes : .dtls
    }
}

extension MetaSimulatorCore {
    /// The media kind of a SIP call on `number`; SDES needs the simulator to
    /// have been given SDES media (``KeyExchangeRoutedMedia``), else the call is
    /// refused with 488 and a log line saying why.
    func sipMediaKind(for number: SimulatedNumber) throws(SimulatedSIPRefusal) -> SimulatedMetaSIPMedia {
        let kind = SimulatedMetaSIPMedia(srtpKeyExchangeProtocol: callingSettings(of: number).srtpKeyExchangeProtocol)
        if kind == .sdes, !(media is KeyExchangeRoutedMedia) {
            logger.warning("simulated Meta SIP: SDES media is not supported by this simulator",
                           metadata: ["phone_number_id": "\(number.phoneNumberID)"])
            throw SimulatedSIPRefusal(status: 488, reason: "Not Acceptable Here")
        }
        return kind
    }

    /// The user's offer for a SIP call, from the media of `kind`.
    func sipOffer(callID: String, kind: SimulatedMetaSIPMedia) async throws -> String {
        if let routed = media as? KeyExchangeRoutedMedia { return try await routed.makeOffer(callID: callID, kind: kind) }
        return try await media.makeOffer(callID: callID)
    }

    /// The user's answer to the business's offer, from the media of `kind`.
    func sipAnswer(callID: String, offer: String, kind: SimulatedMetaSIPMedia) async throws -> String {
        if let routed = media as? KeyExchangeRoutedMedia {
            return try await routed.answer(callID: callID, offer: offer, kind: kind)
        }
        return try await media.answer(callID: callID, offer: offer)
    }
}
