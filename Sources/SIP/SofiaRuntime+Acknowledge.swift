import CSofiaSIP
import CSofiaShims

extension SofiaRuntime {
    /// ACKs a 2xx to an INVITE of ours (nua runs with `NUTAG_AUTOACK(0)`).
    ///
    /// nua refreshes a session (RFC 4028) with a re-INVITE. On a dialog wagate
    /// placed, that re-INVITE repeats our offer and the 2xx carries an answer:
    /// a plain ACK. On a dialog the phone placed, nua has no offer of ours to
    /// repeat (media is not nua's), so the re-INVITE has no body and the phone
    /// offers in its 2xx; RFC 3264 then wants the answer in the ACK, and a
    /// phone whose offer goes unanswered stops its media. The answer is our
    /// last SDP with the direction mirrored, as for a re-INVITE we receive.
    func acknowledge(_ nh: OpaquePointer?, _ id: UInt64?, body: [UInt8], inDialog: Bool) {
        guard let nh else { return }
        let tags = TagList()
        if inDialog, let id, uasDialogs.contains(id), !body.isEmpty, let ours = localSDP[id],
           let answer = SDPDirection.answer(ours, toOffer: String(decoding: body, as: UTF8.self)) {
            localSDP[id] = answer
            tags.add("application/sdp", sofia_siptag_content_type_str)
            tags.add(answer, sofia_siptag_payload_str)
        }
        tags.withTags { sofia_nua_ack(nh, $0) }
        countSent(request: "ACK")
    }
}
