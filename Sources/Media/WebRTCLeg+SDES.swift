public import SDP

/// When an SDES-keyed leg sends its first packet.
public enum SDESSending: Sendable, Equatable {
    /// At once: wagate toward Meta, which expects the business to send first (there
    /// is no ICE to open the path, and in SIP mode the answer is the 200, not a packet).
    case now
    /// Once the peer's first RTP packet is authenticated: Meta's side, as the simulated user plays it.
    case whenPeerHeard
    /// Only after `startSending()`.
    case onRequest
}

/// The SDES side of the WhatsApp leg (a leg opened in `.sdes` mode): our SDP
/// parameters, and the start with keys from the offer/answer instead of ICE and DTLS.
extension WebRTCLeg {
    /// Our SDES SDP parameters: the external address (else the first local one) and
    /// this leg's port, its key material, SSRC and codecs.
    public func sdesLocalParameters(sessionID: UInt64) -> SDESLocalParameters {
        let address = configuration.externalAddress ?? configuration.candidateAddresses.first ?? configuration.bindHost
        var parameters = SDESLocalParameters(address: address, port: port, keyMaterial: sdesKeyMaterial, ssrc: ssrc,
                                             cname: "wagate-\(ssrc)", sessionID: sessionID)
        parameters.audioCodecs = configuration.audioCodecs
        return parameters
    }

    /// Keys SRTP from a completed SDES exchange and starts media toward the peer it names.
    /// Reports `.sdesKeyed` (or `.failed` when the parameters cannot be used).
    public func start(sdes parameters: SDESMediaParameters, sending: SDESSending = .now) {
        let engine = self.engine
        channel.eventLoop.execute { engine.value.startSDES(parameters, sending: sending) }
    }
}
