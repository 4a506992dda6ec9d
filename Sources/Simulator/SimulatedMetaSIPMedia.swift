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
    /// The media for a SIP call on `number`; SDES has no simulated media here
    /// yet, so such calls are refused with 488 and a log line saying why.
    func sipMedia(for number: SimulatedNumber) throws(SimulatedSIPRefusal) -> any SimulatedUserMedia {
        switch SimulatedMetaSIPMedia(srtpKeyExchangeProtocol: callingSettings(of: number).srtpKeyExchangeProtocol) {
        case .dtls:
            return media
        case .sdes:
            logger.warning("simulated Meta SIP: SDES media is not supported by this simulator",
                           metadata: ["phone_number_id": "\(number.phoneNumberID)"])
            throw SimulatedSIPRefusal(status: 488, reason: "Not Acceptable Here")
        }
    }
}
