/// The payload lines of a WhatsApp-leg audio section, shared by the WebRTC and
/// the SDES section builders: rtpmap (and the Opus fmtp) per codec, then
/// telephone-event/8000 with its optional fmtp (RFC 4733 §7.1.1).
extension WebRTCAudioPayload {
    /// The `m=` formats and the rtpmap/fmtp attributes of `audio` and `telephoneEvent`.
    /// - Parameters:
    ///   - audio: the codecs with their payload types, in preference order.
    ///   - telephoneEvent: the telephone-event payload type, if used.
    ///   - opusParameters: the Opus fmtp (none written when empty).
    ///   - eventParameters: the telephone-event fmtp, if written.
    static func formatsAndAttributes(
        _ audio: [WebRTCAudioPayload], telephoneEvent: UInt8?, opusParameters: String, eventParameters: String?
    ) -> (formats: [String], attributes: [SDPAttribute]) {
        var attributes: [SDPAttribute] = []
        for payload in audio {
            attributes.append(payload.codec.rtpMap(payloadType: payload.payloadType).attribute)
            if payload.codec == .opus, !opusParameters.isEmpty {
                attributes.append(FormatParameters(format: String(payload.payloadType), parameterText: opusParameters).attribute)
            }
        }
        var formats = audio.map { String($0.payloadType) }
        if let telephoneEvent {
            formats.append(String(telephoneEvent))
            attributes.append(RTPMap(payloadType: telephoneEvent, encodingName: TelephoneEvent.encodingName,
                                     clockRate: TelephoneEvent.clockRate).attribute)
            if let eventParameters {
                attributes.append(FormatParameters(format: String(telephoneEvent), parameterText: eventParameters).attribute)
            }
        }
        return (formats, attributes)
    }
}
