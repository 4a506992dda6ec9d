/// Builds the one audio `m=` section of a WebRTC offer or answer, attributes in
/// the order browsers write them (RFC 8829 §5.2.1 lists what each must carry).
struct WebRTCSectionBuilder {
    /// Our parameters.
    var local: WebRTCLocalParameters
    /// Gateway or Meta flavour.
    var style: WebRTCSDP.Style

    /// The section.
    /// - Parameters:
    ///   - mid: the mid to write, or `nil` when the offer had none.
    ///   - setup: the `a=setup` role.
    ///   - direction: the direction attribute.
    ///   - audio: the audio codecs with their payload types, in preference order.
    ///   - telephoneEvent: the telephone-event payload type, if used.
    func section(
        mid: String?, setup: SetupRole, direction: MediaDirection, audio: [WebRTCAudioPayload], telephoneEvent: UInt8?
    ) throws(SDPError) -> MediaDescription {
        try validate()
        let port = local.candidates.first?.port ?? 9
        let address = local.candidates.first?.address ?? "0.0.0.0"
        var attributes = local.candidates.map(\.attribute)
        attributes.append(SDPAttribute("ice-ufrag", local.iceUfrag))
        attributes.append(SDPAttribute("ice-pwd", local.icePwd))
        attributes.append(local.fingerprint.attribute)
        attributes.append(setup.attribute)
        if let mid {
            attributes.append(SDPAttribute("mid", mid))
        }
        attributes.append(direction.attribute)
        if let msid = style.msid {
            attributes.append(SDPAttribute("msid", msid))
        }
        attributes.append(SDPAttribute("rtcp-mux"))
        let payloads = WebRTCAudioPayload.formatsAndAttributes(
            audio, telephoneEvent: telephoneEvent, opusParameters: local.opusFormatParameters ?? style.opusParameters,
            eventParameters: style.telephoneEventParameters)
        attributes += payloads.attributes
        attributes.append(SDPAttribute("ptime", String(local.ptime)))
        if style.maxptime {
            attributes.append(SDPAttribute("maxptime", String(local.ptime)))
        }
        attributes.append(SSRCAttribute.cname(local.ssrc, local.cname).attribute)
        return MediaDescription(
            kind: "audio", port: port, proto: WebRTCSDP.proto, formats: payloads.formats,
            connection: SessionDescription.Connection(address: address), attributes: attributes
        )
    }

    /// RFC 8839 §5.4: ufrag 4–256 and pwd 22–256 ice-chars (ALPHA / DIGIT / "+" / "/").
    private func validate() throws(SDPError) {
        guard (4...256).contains(local.iceUfrag.utf8.count), local.iceUfrag.utf8.allSatisfy(Self.isICEChar) else {
            throw SDPError(.invalidParameter, "ice-ufrag must be 4-256 ice-chars")
        }
        guard (22...256).contains(local.icePwd.utf8.count), local.icePwd.utf8.allSatisfy(Self.isICEChar) else {
            throw SDPError(.invalidParameter, "ice-pwd must be 22-256 ice-chars")
        }
        guard !local.fingerprint.bytes.isEmpty else {
            throw SDPError(.invalidParameter, "the fingerprint is empty")
        }
        guard !local.cname.isEmpty, !local.cname.contains(" ") else {
            throw SDPError(.invalidParameter, "the CNAME must be non-empty without spaces")
        }
        guard (10...120).contains(local.ptime) else {
            throw SDPError(.invalidParameter, "ptime \(local.ptime) is not 10-120 ms")
        }
    }

    private static func isICEChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
