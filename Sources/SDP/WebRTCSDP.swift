/// Offers and answers for the WhatsApp (WebRTC) leg, in the shape Meta sends and
/// accepts (docs/whatsapp.md#media): one audio stream, `UDP/TLS/RTP/SAVPF` (RFC 5764 §8),
/// BUNDLE (RFC 9143) on mid `audio`, rtcp-mux (RFC 5761), Opus on 111 (RFC 7587),
/// telephone-event/8000 on 126 (RFC 4733), ptime 20, one SSRC with a CNAME
/// (RFC 5576), full ICE candidates without trickle (RFC 8839), a fingerprint
/// (RFC 8122) and `a=setup` (RFC 8842).
///
/// Two styles: *gateway* (wagate itself: a full ICE agent, so no `a=ice-lite`, and
/// Opus fmtp `minptime=10;useinbandfec=1`) and *Meta* (the simulated WhatsApp
/// user: `a=ice-lite` and Meta's captured Opus fmtp).
///
/// Why `minptime=10;useinbandfec=1` toward Meta: it is exactly what Chrome answers,
/// the peer Meta's stack meets most; `useinbandfec=1` asks Meta to add Opus in-band
/// FEC, which our decoder uses to conceal loss on the way to the SIP phone; we do
/// not add `maxplaybackrate` because Meta already caps its own capture at 16 kHz
/// and the transcoder decodes at whatever rate the SIP codec needs.
public enum WebRTCSDP {
    /// The transport profile of every WebRTC stream.
    public static let proto = "UDP/TLS/RTP/SAVPF"
    /// Opus fmtp in wagate's offers and answers.
    public static let gatewayOpusParameters = "minptime=10;useinbandfec=1"
    /// Opus fmtp exactly as Meta's captured offers carry it.
    public static let metaOpusParameters =
        "maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1"

    /// wagate's answer to Meta's offer (user-initiated calls): echoes the offer's mid,
    /// Opus and telephone-event payload types; `a=setup` from `local.setup`
    /// (`active` by default: we are the DTLS client); no `a=ice-lite`.
    /// - Parameters:
    ///   - offer: Meta's offer.
    ///   - local: our ICE, DTLS and RTP parameters.
    /// - Throws: `SDPError` when the offer has no DTLS-SRTP audio stream with Opus.
    public static func answer(toOffer offer: SessionDescription, local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        try makeAnswer(offer: offer, local: local, style: .gateway)
    }

    /// wagate's offer to Meta (business-initiated calls): `setup:actpass`, mid `audio`,
    /// PT 111/126, BUNDLE, rtcp-mux, candidates, fingerprint, one SSRC.
    /// - Parameter local: our ICE, DTLS and RTP parameters.
    /// - Throws: `SDPError.Kind.invalidParameter` on bad inputs.
    public static func offer(local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        try makeOffer(local: local, style: .gateway)
    }

    /// An offer as Meta would send it (for the simulated WhatsApp user): `a=ice-lite`,
    /// `setup:actpass`, Meta's Opus fmtp, `ptime`/`maxptime` 20.
    /// - Parameter local: the simulated user's parameters.
    /// - Throws: `SDPError.Kind.invalidParameter` on bad inputs.
    public static func metaStyleOffer(local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        try makeOffer(local: local, style: .meta)
    }

    /// An answer as Meta would send it to a business offer: `a=ice-lite`, `a=setup`
    /// from `local.setup` (`active` in Meta's documentation), echoed mid and PTs.
    /// - Parameters:
    ///   - offer: the business offer.
    ///   - local: the simulated user's parameters.
    /// - Throws: `SDPError` when the offer has no DTLS-SRTP audio stream with Opus.
    public static func metaStyleAnswer(toOffer offer: SessionDescription, local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        try makeAnswer(offer: offer, local: local, style: .meta)
    }

    /// The differences between wagate's SDP and Meta's.
    struct Style {
        /// Whether `a=ice-lite` is written at session level.
        var iceLite: Bool
        /// The Opus fmtp used unless `WebRTCLocalParameters.opusFormatParameters` is set.
        var opusParameters: String
        /// The telephone-event fmtp, if one is written.
        var telephoneEventParameters: String?
        /// Whether `a=maxptime` is written (Meta does).
        var maxptime: Bool
        /// The `a=msid` value, if one is written (browsers need it for a stream in `ontrack`).
        var msid: String? = nil
        /// wagate: full ICE agent, Chrome-like Opus fmtp, events 0-15.
        static let gateway = Style(iceLite: false, opusParameters: gatewayOpusParameters, telephoneEventParameters: TelephoneEvent.webRTCEvents, maxptime: false)
        /// Meta: ICE-lite, Meta's captured fmtp, no event fmtp, maxptime.
        static let meta = Style(iceLite: true, opusParameters: metaOpusParameters, telephoneEventParameters: nil, maxptime: true)
        /// wagate toward a browser: ICE-lite, 20 ms Opus, events 0-15, maxptime, msid.
        static let browser = Style(
            iceLite: true, opusParameters: browserOpusParameters(whatsApp: nil), telephoneEventParameters: TelephoneEvent.webRTCEvents,
            maxptime: true, msid: browserMSID
        )
    }

    static func makeOffer(local: WebRTCLocalParameters, style: Style) throws(SDPError) -> SessionDescription {
        guard local.opusPayloadType != local.telephoneEventPayloadType,
              local.opusPayloadType >= 96, local.opusPayloadType < 128,
              local.telephoneEventPayloadType >= 96, local.telephoneEventPayloadType < 128 else {
            throw SDPError(.invalidParameter, "Opus and telephone-event need distinct dynamic payload types 96-127")
        }
        let codecs = local.audioCodecs.filter(WebRTCAudioPayload.carried.contains)
        guard !codecs.isEmpty, codecs.contains(.opus) else {
            throw SDPError(.invalidParameter, "a WebRTC offer lists Opus (Meta requires it), optionally PCMU/PCMA")
        }
        let audio = codecs.map { codec in
            WebRTCAudioPayload(codec: codec, payloadType: codec.staticPayloadType ?? local.opusPayloadType)
        }
        let section = try WebRTCSectionBuilder(local: local, style: style).section(
            mid: local.mid, setup: .actpass, direction: .sendrecv,
            audio: audio, telephoneEvent: local.telephoneEventPayloadType
        )
        return session(local: local, style: style, mid: local.mid, media: [section])
    }

    static func makeAnswer(offer: SessionDescription, local: WebRTCLocalParameters, style: Style) throws(SDPError) -> SessionDescription {
        guard let index = offer.media.firstIndex(where: { $0.kind == "audio" && !$0.isRejected && $0.isDTLSProfile }) else {
            throw SDPError(.missingAttribute, "the offer has no UDP/TLS/RTP/SAVPF audio stream")
        }
        let offered = offer.media[index]
        let listed = WebRTCAudioPayload.listed(in: offered)
        guard let chosen = listed.first(where: { local.audioCodecs.contains($0.codec) }) else {
            let names = listed.map(\.codec.encodingName).joined(separator: ",")
            throw SDPError(.missingAttribute, listed.isEmpty ? "the offer's audio stream has no opus/48000"
                : "no codec in common: the offer lists \(names), this side takes \(local.audioCodecs.map(\.encodingName).joined(separator: ","))")
        }
        let role: SetupRole = local.setup == .passive ? .passive : .active
        let setup = (offer.setup(of: offered) ?? .actpass).answerRole(preferring: role)
        let section = try WebRTCSectionBuilder(local: local, style: style).section(
            mid: offered.mid, setup: setup, direction: offer.effectiveDirection(of: offered).answer(wishing: .sendrecv),
            audio: [chosen], telephoneEvent: TelephoneEvent.payloadType(in: offered)
        )
        var media = offer.media.map { $0.rejected() }
        media[index] = section
        let bundled = offered.mid.flatMap { mid in offer.bundleGroups.contains { $0.contains(mid) } ? mid : nil }
        return session(local: local, style: style, mid: bundled ?? offered.mid, media: media)
    }

    private static func session(local: WebRTCLocalParameters, style: Style, mid: String?, media: [MediaDescription]) -> SessionDescription {
        var attributes: [SDPAttribute] = []
        if style.iceLite {
            attributes.append(SDPAttribute("ice-lite"))
        }
        if let mid {
            attributes.append(SDPAttribute("group", "BUNDLE \(mid)"))
        }
        let address = local.candidates.first?.address ?? "127.0.0.1"
        let origin = SessionDescription.Origin(sessionID: local.sessionID, sessionVersion: local.sessionVersion, address: address)
        return SessionDescription(origin: origin, sessionName: "-", attributes: attributes, media: media)
    }
}
