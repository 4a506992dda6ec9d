/// What kind of peer an offer comes from, decided by its first usable audio stream,
/// as FreeSWITCH decides between a SIP phone and a WebRTC client by the SDP alone.
public enum SDPMediaProfile: Sendable, Equatable {
    /// Plain RTP (`RTP/AVP`, `RTP/AVPF`), or no usable audio stream at all (the SIP
    /// negotiator then gives its own refusal).
    case rtp
    /// SRTP keyed in the SDP (`RTP/SAVP[F]` with `a=crypto`, RFC 4568).
    case sdes
    /// A WebRTC endpoint: `UDP/TLS/RTP/SAVPF` with `a=fingerprint` and ICE credentials
    /// (RFC 8829): a browser, or a WebRTC SIP client behind a WebSocket proxy.
    case webRTC

    /// Classifies an offer.
    /// - Parameter sdp: the offer.
    /// - Returns: `.webRTC` for DTLS-SRTP with a fingerprint and ICE credentials, `.sdes`
    ///   for SAVP with crypto lines, else `.rtp`.
    public static func detect(_ sdp: SessionDescription) -> SDPMediaProfile {
        guard let audio = sdp.media.first(where: { $0.kind == "audio" && !$0.isRejected }) else { return .rtp }
        if audio.isDTLSProfile, !sdp.fingerprints(of: audio).isEmpty, sdp.iceCredentials(of: audio) != nil {
            return .webRTC
        }
        if audio.isSDESProfile, !audio.cryptos.isEmpty {
            return .sdes
        }
        return .rtp
    }
}
