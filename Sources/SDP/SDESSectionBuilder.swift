/// Builds the one audio `m=` section of an SDES offer or answer toward Meta:
/// codecs, telephone-event, ptime, direction, rtcp-mux or `a=rtcp`, crypto
/// lines and our SSRC, with no ICE, fingerprint or setup attribute.
struct SDESSectionBuilder {
    /// Our parameters.
    var local: SDESLocalParameters
    /// Gateway or Meta flavour.
    var style: SDESSDP.Style

    /// The section.
    /// - Parameters:
    ///   - proto: `RTP/SAVP` (answers echo the offer's, `RTP/SAVPF` included).
    ///   - mid: the mid to echo, if the offer had one.
    ///   - direction: the direction attribute.
    ///   - audio: the audio codecs with their payload types, in preference order.
    ///   - telephoneEvent: the telephone-event payload type, if used.
    ///   - rtcpMux: `a=rtcp-mux`; without it `a=rtcp:<our port>` keeps RTCP on our one socket.
    ///   - cryptos: the crypto lines.
    func section(proto: String, mid: String?, direction: MediaDirection, audio: [WebRTCAudioPayload],
                 telephoneEvent: UInt8?, rtcpMux: Bool, cryptos: [CryptoAttribute]) throws(SDPError) -> MediaDescription {
        guard (1...65_535).contains(local.port) else { throw SDPError(.invalidParameter, "local port \(local.port) is not 1-65535") }
        guard !local.cname.isEmpty, !local.cname.contains(" ") else {
            throw SDPError(.invalidParameter, "the CNAME must be non-empty without spaces")
        }
        guard (10...120).contains(local.ptime) else { throw SDPError(.invalidParameter, "ptime \(local.ptime) is not 10-120 ms") }
        var attributes: [SDPAttribute] = []
        if let mid { attributes.append(SDPAttribute("mid", mid)) }
        attributes.append(direction.attribute)
        attributes.append(rtcpMux ? SDPAttribute("rtcp-mux") : SDPAttribute("rtcp", String(local.port)))
        let payloads = WebRTCAudioPayload.formatsAndAttributes(
            audio, telephoneEvent: telephoneEvent, opusParameters: local.opusFormatParameters ?? style.opusParameters,
            eventParameters: style.telephoneEventParameters)
        attributes += payloads.attributes
        attributes.append(SDPAttribute("ptime", String(local.ptime)))
        if style.maxptime { attributes.append(SDPAttribute("maxptime", String(local.ptime))) }
        attributes += cryptos.map(\.attribute)
        attributes.append(SSRCAttribute.cname(local.ssrc, local.cname).attribute)
        return MediaDescription(kind: "audio", port: local.port, proto: proto, formats: payloads.formats,
                                connection: SessionDescription.Connection(address: local.address), attributes: attributes)
    }
}
