/// Offers and answers for the WhatsApp leg of a number whose Meta SIP interface
/// keys SRTP by SDES (RFC 4568) instead of DTLS: one audio stream `RTP/SAVP`,
/// `a=crypto` lines, Opus on 111 (RFC 7587), telephone-event/8000 on 126
/// (RFC 4733), ptime 20, and no ICE attributes, fingerprint or `a=setup`.
///
/// RTP and RTCP use the leg's one socket: with rtcp-mux (RFC 5761) when both
/// sides say so, else RTCP still comes to our RTP port because our SDP says so
/// with `a=rtcp:<port>` (RFC 3605), as rtpengine writes it; the peer's RTCP port
/// is its `a=rtcp`, else its RTP port + 1.
///
/// Keys: offers list every suite of `local.offeredSuites` (tags 1, 2, …) with
/// our key for it; an answer accepts the first offered line (offer order, RFC 4568
/// §7.1.1) of a suite wagate supports, with one inline key of the suite's length,
/// no MKI and no session parameter other than the `WSH` hint, and gives our own
/// fresh key under the offer's tag (never the offerer's key back).
public enum SDESSDP {
    /// The transport profile of our offers.
    public static let proto = "RTP/SAVP"

    /// An answer and what it agreed on.
    public struct Answer: Sendable {
        /// The answer SDP.
        public var sdp: SessionDescription
        /// The leg's parameters.
        public var media: SDESMediaParameters
    }

    /// wagate's offer to Meta (business-initiated calls).
    /// - Throws: `SDPError.Kind.invalidParameter` on bad inputs (port, key material, codecs).
    public static func offer(local: SDESLocalParameters) throws(SDPError) -> SessionDescription {
        try makeOffer(local: local, style: .gateway)
    }

    /// An offer as Meta sends it (the simulated WhatsApp user): Meta's Opus fmtp and
    /// `maxptime`, the suites of `local.offeredSuites` (set it to `[_80]` for Meta's one line).
    /// - Throws: `SDPError.Kind.invalidParameter` on bad inputs.
    public static func metaStyleOffer(local: SDESLocalParameters) throws(SDPError) -> SessionDescription {
        try makeOffer(local: local, style: .meta)
    }

    /// wagate's answer to Meta's SDES offer (user-initiated calls).
    /// - Throws: `SDPError` when the offer has no SDES audio stream, no codec or no
    ///   crypto line wagate takes, or a `c=` that is not an IP address.
    public static func answer(toOffer offer: SessionDescription, local: SDESLocalParameters) throws(SDPError) -> Answer {
        try makeAnswer(offer: offer, local: local, style: .gateway)
    }

    /// An answer as Meta would give it to a business's SDES offer (the simulated user).
    /// - Throws: as `answer(toOffer:local:)`.
    public static func metaStyleAnswer(toOffer offer: SessionDescription, local: SDESLocalParameters) throws(SDPError) -> Answer {
        try makeAnswer(offer: offer, local: local, style: .meta)
    }

    /// The audio codecs the first SDES audio stream of an offer lists, in its order
    /// (empty when there is no such stream): what the answer will choose from.
    public static func offeredAudio(in offer: SessionDescription) -> [WebRTCAudioPayload] {
        offer.media.first { $0.kind == "audio" && !$0.isRejected && $0.isSDESProfile }.map(WebRTCAudioPayload.listed) ?? []
    }

    /// Reads the peer's answer to our offer.
    /// - Parameters:
    ///   - offer: the offer we sent.
    ///   - answer: the peer's answer.
    ///   - local: the parameters the offer was built with (the key material).
    /// - Throws: `SDPError` when the answer rejects the stream, changes the transport,
    ///   picks no codec we offered, or accepts none of our crypto lines as offered.
    public static func complete(offer: SessionDescription, answer: SessionDescription,
                                local: SDESLocalParameters) throws(SDPError) -> SDESMediaParameters {
        guard let index = offer.firstAudioIndex, index < answer.media.count,
              answer.media[index].kind == "audio", !answer.media[index].isRejected else {
            throw SDPError(.missingAttribute, "the answer rejects the audio stream")
        }
        let ours = offer.media[index], media = answer.media[index]
        guard media.isSDESProfile else {
            throw SDPError(.invalidParameter, "the answer uses \(media.proto), not RTP/SAVP")
        }
        let offeredCodecs = WebRTCAudioPayload.listed(in: ours).map(\.codec)
        guard let audio = WebRTCAudioPayload.listed(in: media).first(where: { offeredCodecs.contains($0.codec) }) else {
            throw SDPError(.missingAttribute, "the answer holds none of the codecs offered")
        }
        let keys = try acceptedKeys(answer: media, offered: ours.cryptos, local: local)
        let muxed = media.rtcpMux && ours.rtcpMux
        return try parameters(in: answer, media: media, muxed: muxed, keys: keys, audio: audio,
                              telephoneEvent: TelephoneEvent.payloadType(in: ours).flatMap { _ in TelephoneEvent.payloadType(in: media) })
    }

    // MARK: - Building

    /// The differences between wagate's SDES SDP and Meta's.
    struct Style {
        /// The Opus fmtp unless `SDESLocalParameters.opusFormatParameters` is set.
        var opusParameters: String
        /// The telephone-event fmtp, if written.
        var telephoneEventParameters: String?
        /// Whether `a=maxptime` is written.
        var maxptime: Bool
        /// wagate: Chrome-like Opus fmtp, events 0-15.
        static let gateway = Style(opusParameters: WebRTCSDP.gatewayOpusParameters,
                                   telephoneEventParameters: TelephoneEvent.webRTCEvents, maxptime: false)
        /// Meta: its captured Opus fmtp, no event fmtp, maxptime.
        static let meta = Style(opusParameters: WebRTCSDP.metaOpusParameters, telephoneEventParameters: nil, maxptime: true)
    }

    /// An offer in `style`: every suite of `local.offeredSuites` with our key for it.
    static func makeOffer(local: SDESLocalParameters, style: Style) throws(SDPError) -> SessionDescription {
        guard local.opusPayloadType != local.telephoneEventPayloadType,
              (96...127).contains(local.opusPayloadType), (96...127).contains(local.telephoneEventPayloadType) else {
            throw SDPError(.invalidParameter, "Opus and telephone-event need distinct dynamic payload types 96-127")
        }
        let codecs = local.audioCodecs.filter(WebRTCAudioPayload.carried.contains)
        guard codecs.contains(.opus) else {
            throw SDPError(.invalidParameter, "an SDES offer to Meta lists Opus, optionally PCMU/PCMA")
        }
        var lines: [CryptoAttribute] = []
        for (index, suite) in local.offeredSuites.enumerated() {
            guard let key = local.keyAndSalt(for: suite) else {
                throw SDPError(.invalidParameter, "the key material is too short for \(suite.rawValue)")
            }
            lines.append(CryptoAttribute(tag: UInt32(index + 1), suite: suite.rawValue, keys: [.init(keyAndSalt: key)]))
        }
        guard !lines.isEmpty else { throw SDPError(.invalidParameter, "an SDES offer needs at least one suite") }
        let audio = codecs.map { WebRTCAudioPayload(codec: $0, payloadType: $0.staticPayloadType ?? local.opusPayloadType) }
        let section = try SDESSectionBuilder(local: local, style: style).section(
            proto: proto, mid: nil, direction: .sendrecv, audio: audio, telephoneEvent: local.telephoneEventPayloadType,
            rtcpMux: local.rtcpMux, cryptos: lines)
        return session(local: local, media: [section])
    }

    /// An answer in `style` to the offer's first SDES audio stream; every other stream is rejected.
    static func makeAnswer(offer: SessionDescription, local: SDESLocalParameters, style: Style) throws(SDPError) -> Answer {
        guard let index = offer.media.firstIndex(where: { $0.kind == "audio" && !$0.isRejected && $0.isSDESProfile }) else {
            throw SDPError(.missingAttribute, "the offer has no RTP/SAVP audio stream")
        }
        let offered = offer.media[index]
        guard let audio = WebRTCAudioPayload.listed(in: offered).first(where: { local.audioCodecs.contains($0.codec) }) else {
            throw SDPError(.missingAttribute, "no codec in common: this side takes \(local.audioCodecs.map(\.encodingName).joined(separator: ","))")
        }
        let (crypto, suite) = try chosenCrypto(in: offered)
        guard let ourKey = local.keyAndSalt(for: suite) else {
            throw SDPError(.invalidParameter, "the key material is too short for \(suite.rawValue)")
        }
        let keys = NegotiatedAudio.SDES(suite: suite, tag: crypto.tag, localKeyAndSalt: ourKey, remoteKeyAndSalt: crypto.keyAndSalt)
        let telephoneEvent = TelephoneEvent.payloadType(in: offered)
        let media = try parameters(in: offer, media: offered, muxed: offered.rtcpMux, keys: keys, audio: audio,
                                   telephoneEvent: telephoneEvent)
        let section = try SDESSectionBuilder(local: local, style: style).section(
            proto: offered.proto, mid: offered.mid, direction: offer.effectiveDirection(of: offered).answer(wishing: .sendrecv),
            audio: [audio], telephoneEvent: telephoneEvent, rtcpMux: offered.rtcpMux,
            cryptos: [CryptoAttribute(tag: crypto.tag, suite: suite.rawValue, keys: [.init(keyAndSalt: ourKey)])])
        var sections = offer.media.map { $0.rejected() }
        sections[index] = section
        return Answer(sdp: session(local: local, media: sections), media: media)
    }

    private static func session(local: SDESLocalParameters, media: [MediaDescription]) -> SessionDescription {
        let origin = SessionDescription.Origin(sessionID: local.sessionID, sessionVersion: local.sessionVersion, address: local.address)
        return SessionDescription(origin: origin, sessionName: "-", attributes: [], media: media)
    }

    /// The peer's address and ports from a stream it wrote.
    private static func parameters(in sdp: SessionDescription, media: MediaDescription, muxed: Bool, keys: NegotiatedAudio.SDES,
                                   audio: WebRTCAudioPayload, telephoneEvent: UInt8?) throws(SDPError) -> SDESMediaParameters {
        guard let connection = sdp.connection(of: media), connection.isIPLiteral, !connection.isLegacyHold else {
            throw SDPError(.invalidParameter, "the audio stream's c= is not a usable IP address (host names are not resolved)")
        }
        guard (1...65_535).contains(media.port) else { throw SDPError(.invalidParameter, "the audio port \(media.port) is not 1-65535") }
        return SDESMediaParameters(
            remoteAddress: connection.address, remotePort: media.port, remoteRTCPPort: media.rtcpPort(muxed: muxed),
            rtcpMux: muxed, keys: keys, audio: audio, telephoneEventPayloadType: telephoneEvent, remoteSSRC: media.ssrcs.first)
    }
}
