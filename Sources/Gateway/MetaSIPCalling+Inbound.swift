// User-initiated calls over Meta's SIP interface: Meta's INVITE becomes the
// `connect` webhook Graph would have sent, and call control's pre_accept,
// accept and reject become the 183, 200 and 603 Meta waits for.

import CallControl
import Config
import SIP

extension MetaSIPCalling {
    /// An INVITE the SIP layer recognised as Meta's for SIP-mode number `numberName`.
    /// The caller is From's user as `+E164`; anything else is refused 404 and nothing
    /// rings. The wacid is Meta's `x-wa-meta-wacid` when it is a plain token, else the Call-ID.
    func incomingCall(_ handle: SIPHandle, numberName: String, _ request: SIPRequest) async {
        guard let config = config.number(named: numberName), config.signaling == .sip else {
            refuse(handle, 404, "Not Found", request, why: "number no longer in SIP mode")
            return
        }
        guard let digits = Self.e164Digits(request.fromUser) else {
            refuse(handle, 404, "Not Found", request, why: "caller is not an E.164 number")
            return
        }
        guard dialogs.count < capacity else {
            refuse(handle, 503, "Service Unavailable", request, why: "too many SIP-mode calls in progress")
            return
        }
        let wacid = WACID(request.metaWACID.flatMap(Self.safeToken) ?? Self.safeToken(request.callID)
            ?? "sip-\(handle.rawValue)")
        guard byWACID[wacid] == nil else {
            refuse(handle, 482, "Loop Detected", request, why: "a call with this wacid is in progress")
            return
        }
        let number = WhatsAppNumberID(config.phoneNumberID)
        var dialog = Dialog(handle: handle, number: number, direction: .inbound)
        dialog.wacid = wacid
        dialog.sipCallID = Self.safeToken(request.callID)
        dialog.offers100rel = request.offers100rel
        dialogs[handle] = dialog
        byWACID[wacid] = handle
        logger.info("INVITE from Meta", metadata: metadata(dialog, ["number": "\(config.name)", "caller": "+\(digits)"]))
        let offer = request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self)
        await report(.userCall(wacid: wacid, caller: WhatsAppUser(phone: "+\(digits)"), number: number, offer: offer),
                     number: number)
    }

    private func refuse(_ handle: SIPHandle, _ status: Int, _ phrase: String, _ request: SIPRequest, why: String) {
        stack.send(.respond(handle, status: status, phrase: phrase, sdp: nil, headers: []))
        logger.notice("INVITE from Meta refused", metadata: [
            "handle": "\(handle)", "status": "\(status)", "reason": "\(why)",
            "meta_sip_call_id": "\(request.callID.prefix(128))",
        ])
    }

    /// `pre_accept`: 183 Session Progress with the answer, reliable (RFC 3262)
    /// when Meta's INVITE offered 100rel, so ICE and DTLS can complete before the 200.
    func preAccept(_ call: WACID, answer: String) throws(WhatsAppFailure) {
        var dialog = try inboundDialog(call)
        dialog.localSDP = answer
        dialogs[dialog.handle] = dialog
        let headers = dialog.offers100rel ? ["Require: 100rel"] : []
        stack.send(.respond(dialog.handle, status: 183, phrase: "Session Progress", sdp: answer, headers: headers))
    }

    /// `accept`: 200 OK with the same answer (the stack echoes Meta's Record-Routes).
    func accept(_ call: WACID, answer: String) throws(WhatsAppFailure) {
        var dialog = try inboundDialog(call)
        dialog.localSDP = answer
        dialog.answered = true
        dialogs[dialog.handle] = dialog
        stack.send(.respond(dialog.handle, status: 200, phrase: "OK", sdp: answer, headers: []))
    }

    /// `reject`: 603 Decline.
    func reject(_ call: WACID) throws(WhatsAppFailure) {
        var dialog = try inboundDialog(call)
        dialog.ended = true
        dialogs[dialog.handle] = dialog
        stack.send(.respond(dialog.handle, status: 603, phrase: "Decline", sdp: nil, headers: []))
    }

    private func inboundDialog(_ call: WACID) throws(WhatsAppFailure) -> Dialog {
        guard let handle = byWACID[call], let dialog = dialogs[handle], dialog.direction == .inbound, !dialog.ended else {
            throw WhatsAppFailure.graph(code: 138004, httpStatus: 400, message: "no SIP-mode call \(call) in progress")
        }
        return dialog
    }
}
