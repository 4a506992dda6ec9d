/// Offers and answers toward a browser (a full ICE agent, as Chrome and Firefox are).
///
/// wagate is ICE-lite and controlled toward browsers (RFC 8445 §2.5: a server with a
/// reachable address needs no checks of its own, and learns the browser's address from
/// its nominated check, so `.local` mDNS candidates never need resolving) and always the
/// DTLS server (`actpass` in offers, which Chrome answers `active`; `passive` in
/// answers). The audio is shaped for Opus pass-through to the WhatsApp leg: Opus on the
/// WhatsApp leg's payload type with its fmtp limits, 20 ms frames
/// (`minptime`/`ptime`/`maxptime` 20, so each browser packet is one WhatsApp packet),
/// telephone-event/8000 with events 0-15, no `a=extmap` (plain 12-byte RTP headers), no
/// `a=rtcp-fb` (RTCP stays plain SR/RR), `a=msid` so `ontrack` has a stream, and one SSRC.
extension WebRTCSDP {
    /// The `a=msid` value of wagate's browser-facing stream (RFC 8830: stream id, track id).
    public static let browserMSID = "wagate audio"

    /// The Opus fmtp toward a browser: the limits the WhatsApp leg carries
    /// (`maxaveragebitrate`, `maxplaybackrate`, `sprop-maxcapturerate`) copied so that
    /// the browser encodes what the WhatsApp client expects, then `minptime=20` and
    /// `useinbandfec=1` (RFC 7587 §7).
    /// - Parameter whatsApp: the Opus fmtp Meta offered or accepted, if known.
    /// - Returns: the fmtp parameter text.
    public static func browserOpusParameters(whatsApp: FormatParameters?) -> String {
        var parameters: [(key: String, value: String?)] = []
        for key in ["maxaveragebitrate", "maxplaybackrate", "sprop-maxcapturerate"] {
            if let value = whatsApp?[key], !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                parameters.append((key, value))
            }
        }
        parameters.append(("minptime", "20"))
        parameters.append(("useinbandfec", "1"))
        return FormatParameters(payloadType: 0, parameters: parameters).parameterText
    }

    /// wagate's offer to a browser (an inbound WhatsApp call ringing an agent):
    /// `a=ice-lite`, `setup:actpass`, mid, BUNDLE, rtcp-mux, Opus only.
    /// - Parameters:
    ///   - local: the browser leg's ICE, DTLS and RTP parameters; `opusFormatParameters`
    ///     should be `browserOpusParameters(whatsApp:)` of the call's WhatsApp leg.
    /// - Throws: `SDPError.Kind.invalidParameter` on bad inputs.
    public static func browserOffer(local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        var local = local
        local.audioCodecs = [.opus]
        local.ptime = 20
        return try makeOffer(local: local, style: .browser)
    }

    /// wagate's answer to a browser's offer (an agent dialling out): Opus and
    /// telephone-event/8000 on the offer's payload types, the offer's mid and BUNDLE
    /// echoed, `setup:passive` (wagate is the DTLS server), every other `m=` line
    /// (video, data channel, a second audio) answered with port 0.
    /// - Parameters:
    ///   - offer: the browser's offer.
    ///   - local: the browser leg's parameters.
    /// - Throws: `SDPError` when the offer has no DTLS-SRTP audio stream with Opus.
    public static func browserAnswer(toOffer offer: SessionDescription, local: WebRTCLocalParameters) throws(SDPError) -> SessionDescription {
        var local = local
        local.audioCodecs = [.opus]
        local.ptime = 20
        local.setup = .passive
        var answer = try makeAnswer(offer: offer, local: local, style: .browser)
        // JSEP (RFC 8829 §5.3.1) keeps `a=mid` on rejected sections; Chrome matches
        // answer sections to its transceivers by mid and refuses an answer without them.
        for index in answer.media.indices where answer.media[index].isRejected {
            if let mid = offer.media[index].mid {
                answer.media[index].attributes.append(SDPAttribute("mid", mid))
            }
        }
        return answer
    }
}
