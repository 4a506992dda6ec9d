/// SIP-side offer/answer for one audio stream (RFC 3264), for desk phones, softphones
/// and PBX trunks: PCMU, PCMA, G.722, Opus and telephone-event, plain RTP or
/// SDES-SRTP.
///
/// A pure value: every function maps SDP and inputs to SDP and results. Use
/// `answer(to:local:)` for an incoming (re-)INVITE, `offer(local:)` and then
/// `complete(offer:answer:local:)` for a call wagate places.
public struct SIPAudioNegotiator: Hashable, Sendable {
    /// What we offer and accept.
    public var configuration: SIPAudioConfiguration

    /// Creates a negotiator.
    /// - Parameter configuration: codecs, payload types, SRTP policy.
    public init(configuration: SIPAudioConfiguration = SIPAudioConfiguration()) {
        self.configuration = configuration
    }

    /// An accepted offer: the answer to send and what media needs.
    public struct Answer: Hashable, Sendable {
        /// The SDP answer for the 200 OK (or 183).
        public var sdp: SessionDescription
        /// The agreed stream parameters.
        public var audio: NegotiatedAudio
    }

    /// How a stream's `proto` is secured.
    enum Security: Equatable {
        case plain
        case sdes
    }

    /// Classifies an RTP profile or explains why it is refused (RFC 3551, RFC 3711,
    /// RFC 4585, RFC 5124; DTLS-SRTP per RFC 5764 is WebRTC-leg only).
    func security(of media: MediaDescription) -> Result<Security, SDPRejection> {
        let proto = media.proto.uppercased()
        switch proto {
        case "RTP/AVP", "RTP/AVPF":
            guard configuration.srtp != .required else {
                return .failure(SDPRejection(.srtpRequired, "SRTP is required: offer RTP/SAVP with a=crypto"))
            }
            return .success(.plain)
        case "RTP/SAVP", "RTP/SAVPF":
            guard configuration.srtp != .disabled else {
                return .failure(SDPRejection(.srtpNotAcceptable, "SRTP (\(media.proto)) is disabled here: offer RTP/AVP"))
            }
            return .success(.sdes)
        case "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF":
            return .failure(SDPRejection(
                .unsupportedTransport, "DTLS-SRTP (\(media.proto)) is not supported: offer RTP/AVP or RTP/SAVP with SDES"
            ))
        default:
            return .failure(SDPRejection(.unsupportedTransport, "transport \(media.proto) is not supported"))
        }
    }

    /// Our codecs found in a stream, in our preference order, each with the stream's
    /// payload type for it (the first such payload type in the `m=` line).
    func commonCodecs(in media: MediaDescription) -> [NegotiatedAudio.Codec] {
        let offered = media.payloadTypes.compactMap { payloadType -> (UInt8, AudioCodec)? in
            guard let map = media.rtpMap(for: payloadType), let codec = AudioCodec(map) else { return nil }
            return (payloadType, codec)
        }
        return configuration.codecs.compactMap { codec in
            offered.first { $0.1 == codec }.map { NegotiatedAudio.Codec(codec: codec, payloadType: $0.0) }
        }
    }

    /// The codecs of a stream as `PCMU, G729, …`, for rejection texts.
    func describeCodecs(in media: MediaDescription) -> String {
        let names = media.payloadTypes.map { payloadType in
            media.rtpMap(for: payloadType)?.encodingName ?? String(payloadType)
        }
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    /// The peer's RTCP port: `a=rtcp:<port>` (RFC 3605 §2.1), the RTP port with
    /// rtcp-mux (RFC 5761), else RTP + 1 (RFC 3550 §11).
    func remoteRTCPPort(of media: MediaDescription, muxed: Bool) -> Int {
        media.rtcpPort(muxed: muxed)
    }

    /// The packet time to use: the peer's `a=ptime` when it is a whole number of
    /// 10 ms frames up to 60 ms (and within its `a=maxptime`), else ours.
    func packetTime(for media: MediaDescription) -> Int {
        var chosen = configuration.ptime
        if let offered = media.ptime, offered % 10 == 0, (10...60).contains(offered) {
            chosen = offered
        }
        if let maxptime = media.maxptime, maxptime < chosen, maxptime >= 10 {
            chosen = maxptime - maxptime % 10
        }
        return chosen
    }

    /// Our audio `m=` section listing `codecs` (and telephone-event), RFC 3264 §5.1, §6.1.
    func audioSection(
        port: Int, proto: String, codecs: [NegotiatedAudio.Codec], telephoneEvent: UInt8?,
        ptime: Int, direction: MediaDirection
    ) -> MediaDescription {
        var formats = codecs.map { String($0.payloadType) }
        var attributes: [SDPAttribute] = codecs.map { $0.codec.rtpMap(payloadType: $0.payloadType).attribute }
        for codec in codecs where codec.codec == .opus && !configuration.opusFormatParameters.isEmpty {
            attributes.append(FormatParameters(format: String(codec.payloadType), parameterText: configuration.opusFormatParameters).attribute)
        }
        if let telephoneEvent {
            formats.append(String(telephoneEvent))
            attributes.append(RTPMap(payloadType: telephoneEvent, encodingName: TelephoneEvent.encodingName, clockRate: TelephoneEvent.clockRate).attribute)
            attributes.append(FormatParameters(format: String(telephoneEvent), parameterText: TelephoneEvent.sipEvents).attribute)
        }
        attributes.append(SDPAttribute("ptime", String(ptime)))
        attributes.append(direction.attribute)
        return MediaDescription(kind: "audio", port: port, proto: proto, formats: formats, attributes: attributes)
    }

    /// The skeleton of our SDP: `o=`, `s=`, `c=`, `t=0 0`.
    func session(local: SIPLocalMedia, media: [MediaDescription]) -> SessionDescription {
        SessionDescription(
            origin: SessionDescription.Origin(sessionID: local.sessionID, sessionVersion: local.sessionVersion, address: local.address),
            sessionName: configuration.sessionName,
            connection: SessionDescription.Connection(address: local.address),
            media: media
        )
    }
}
