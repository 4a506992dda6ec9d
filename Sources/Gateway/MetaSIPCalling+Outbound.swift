// Business-initiated calls over Meta's SIP interface: the INVITE Meta documents
// (docs/whatsapp-sip-mode.md), and Meta's responses turned into what Graph's
// `connect` and its webhooks would have said.

import CallControl
import Config
import SIP

extension MetaSIPCalling {
    /// Sends the INVITE to Meta for `user` and waits for Meta's first answer: the
    /// wacid (made from the dialog's Call-ID) once Meta rings the user or answers,
    /// or the failure Graph's `connect` would have returned for Meta's refusal.
    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        guard let config = config.number(withID: number.rawValue), let sip = config.metaSIP,
              let server = MetaSIPAddresses.server(of: config, in: self.config) else {
            throw WhatsAppFailure.unexpectedResponse("business number \(number) is not in SIP mode")
        }
        guard let phone = user.phone, let digits = Self.e164Digits(phone) else {
            // Meta's SIP interface addresses users by phone number only.
            throw WhatsAppFailure.graph(code: 138001, httpStatus: 404,
                                        message: "a user known only by BSUID cannot be called in SIP mode")
        }
        guard dialogs.count < capacity else {
            throw WhatsAppFailure.graph(code: 138002, httpStatus: 429, message: "too many SIP-mode calls in progress")
        }
        let handle = stack.makeHandle()
        let uri = Self.requestURI(digits: digits, host: server.host, port: server.port)
        var call = SIPOutgoingCall(
            requestURI: uri, to: "<\(uri)>",
            from: "<sip:\(config.businessNumberDigits)@\(sip.domain)>", sdp: offer,
            credentials: (sip.username, sip.password?.reveal() ?? ""))
        call.metaNumber = config.name
        let result = await withCheckedContinuation { continuation in
            dialogs[handle] = Dialog(handle: handle, number: number, direction: .outbound, opaque: opaque,
                                     localSDP: offer, pending: continuation)
            stack.send(.invite(handle, call))
            logger.info("INVITE to Meta", metadata: context.metadata.merging(
                ["handle": "\(handle)", "uri": "\(call.requestURI)", "signaling": "sip"]) { $1 })
        }
        return try result.get()
    }

    /// `sip:+<digits>@<host>:<port>;transport=tls`, as Meta documents the Request-URI.
    static func requestURI(digits: String, host: String, port: Int) -> String {
        "sip:+\(digits)@\(SIPURI.hostPart(host)):\(port);transport=tls"
    }

    /// The digits of an E.164 number (`+` optional, 6 to 15 digits), else nil.
    static func e164Digits(_ text: String) -> String? {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard (6...15).contains(digits.utf8.count), digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return String(digits)
    }

    /// A response to an INVITE we sent to Meta.
    func inviteResponse(_ handle: SIPHandle, status: Int, phrase: String, body: [UInt8], callID: String?) async {
        guard var dialog = dialogs[handle], dialog.direction == .outbound, status > 100 else { return }
        if dialog.wacid == nil {
            let wacid = WACID(callID.flatMap(Self.safeToken) ?? "sip-\(handle.rawValue)")
            dialog.wacid = wacid
            dialog.sipCallID = callID
            byWACID[wacid] = handle
        }
        guard let wacid = dialog.wacid else { return }
        var events: [WhatsAppEvent] = []
        if status < 300, !body.isEmpty, !dialog.answerReported {
            dialog.answerReported = true
            events.append(.answer(wacid: wacid, sdp: String(decoding: body, as: UTF8.self), opaque: dialog.opaque))
        }
        switch status {
        case 101..<200:
            if !dialog.ringing { events.insert(.status(wacid: wacid, .ringing, opaque: dialog.opaque), at: 0) }
            dialog.ringing = true
        case 200..<300:
            dialog.answered = true
            events.append(.status(wacid: wacid, .accepted, opaque: dialog.opaque))
        default:
            events += failed(&dialog, status: status, phrase: phrase)
        }
        let pending = dialog.pending
        dialog.pending = nil
        dialogs[handle] = dialog
        logger.info("Meta answered the INVITE", metadata: metadata(dialog, ["status": "\(status)"]))
        if let pending {
            if case .failure(let failure) = MetaSIPOutcome(status: status, phrase: phrase), status >= 300 {
                dialogs[handle]?.ended = true
                pending.resume(returning: .failure(failure))
                return
            }
            pending.resume(returning: .success(wacid))
        }
        for event in events { await report(event, number: dialog.number) }
    }

    /// Keeps and logs, once per call, Meta's own wacid from a response to our
    /// INVITE beside ours (made from the Call-ID), so a call can be looked up in
    /// Meta's records and support cases. Anything but a plain token is ignored.
    func noteMetaWACID(_ handle: SIPHandle, _ header: String?) {
        guard let header, let token = Self.safeToken(header), var dialog = dialogs[handle],
              dialog.direction == .outbound, dialog.metaWACID == nil else { return }
        dialog.metaWACID = token
        dialogs[handle] = dialog
        var fields = metadata(dialog)
        if let callID = dialog.sipCallID { fields["sip_call_id"] = "\(callID.prefix(128))" }
        logger.info("Meta's wacid for the call", metadata: fields)
    }

    /// The events of a final failure from Meta.
    private func failed(_ dialog: inout Dialog, status: Int, phrase: String) -> [WhatsAppEvent] {
        guard let wacid = dialog.wacid, !dialog.ended else { return [] }
        dialog.ended = true
        let outcome = MetaSIPOutcome(status: status, phrase: phrase)
        if status == 401 || status == 407 {
            logger.warning("Meta refused the digest answer to its challenge: check sip_username and sip_password",
                           metadata: metadata(dialog, ["status": "\(status)"]))
        }
        switch outcome {
        case .rejected: return [.status(wacid: wacid, .rejected, opaque: dialog.opaque)]
        case .noAnswer, .failure:
            return [.terminate(wacid: wacid, completed: false, duration: nil, errors: outcome.terminateErrors,
                               opaque: dialog.opaque)]
        }
    }

    /// Meta's Call-ID (or wacid header) as a wacid when it is a plain token of at
    /// most 200 characters; nil for anything else (outside text never goes to logs
    /// or the store unchecked).
    static func safeToken(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 200 else { return nil }
        let allowed: (UInt8) -> Bool = { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || Array("._-:=+/@".utf8).contains(byte)
        }
        return text.utf8.allSatisfy(allowed) ? text : nil
    }
}
