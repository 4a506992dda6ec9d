import CSofiaSIP
import CSofiaShims
import Config

// REFER (RFC 3515) inside a call, as Asterisk and FreeSWITCH serve it: the
// stack answers at once (400 without a usable Refer-To, 481 before the call is
// answered, 403 when `[transfer]` forbids it, 491 while a REFER is
// pending, else 202), sends the first `100 Trying` NOTIFY itself, and hands the
// accepted REFER to call control, which reports progress by `notifyRefer`.
// nua leaves both the answer (REFER is an application method) and every NOTIFY
// of an in-dialog REFER to the application.

/// A REFER accepted on a dialog: its subscription's event and what was last NOTIFYed.
struct PendingRefer {
    /// The `Event` of the implicit subscription: `refer`, or `refer;id=<CSeq>`
    /// after the dialog's first REFER (as nua kept it in NUTAG_REFER_EVENT).
    var event: String
    /// The status of the last NOTIFY sent.
    var lastStatus: Int
}

extension SofiaRuntime {
    /// The `message/sipfrag` body reporting `status` (RFC 3515 §2.4.5).
    static func sipfrag(_ status: Int) -> String {
        "SIP/2.0 \(status) \(String(cString: staticPhrase(status)))\r\n"
    }

    /// Answers an incoming REFER and, once accepted, reports it.
    func onRefer(_ nh: OpaquePointer?, _ known: UInt64?, _ sip: UnsafePointer<sip_t>,
                 _ tags: UnsafeMutablePointer<tagi_t>?) {
        guard let known, established.contains(known) else {
            // A call still ringing (an early dialog): nothing to transfer yet
            // (RFC 3261 §12.2.2). Outside any call nua answers 405 itself: only
            // a call's handle lists REFER in its Allow.
            respondCurrent(nh, 481, "Call/Transaction Does Not Exist")
            return
        }
        if let refusal = referRefusal(known, sip) {
            respondCurrent(nh, refusal.status, warning: refusal.warning)
            return
        }
        guard let referToHeader = sip.pointee.sip_refer_to else {
            return respondCurrent(nh, 400, warning: ReferRequest.ReferToProblem.malformed.text)
        }
        var request: ReferRequest
        switch ReferRequest.parse(referTo: SofiaMessageReader.header(referToHeader)) {
        case .failure(let problem): return respondCurrent(nh, 400, warning: problem.text)
        case .success(let parsed): request = parsed
        }
        if let by = sip.pointee.sip_referred_by {
            let text = SofiaMessageReader.header(by)
            request.referredBy = text.isEmpty ? nil : text
        }
        if let replaces = request.replaces {
            request.replacedHandle = localDialog(replacing: replaces, except: known)
        }
        respondCurrent(nh, 202, "Accepted")
        pendingRefers[known] = PendingRefer(event: referEvent(tags), lastStatus: 0)
        notifyRefer(known, status: 100, terminated: false)
        logger.info("REFER accepted", metadata: [
            "handle": "\(known)", "refer_to_user": "\(request.targetUser ?? "-")",
            "attended": "\(request.replaces != nil)", "local_replaces": "\(request.replacedHandle != nil)"])
        emit(.refer(SIPHandle(rawValue: known), request))
    }

    /// Why the REFER on dialog `id` is refused before its Refer-To is read, if it is.
    private func referRefusal(_ id: UInt64, _ sip: UnsafePointer<sip_t>) -> (status: Int, warning: String)? {
        let transfer = config.transfer
        if !transfer.enabled { return (403, "transfer disabled") }
        // Meta's SIP interface has no call transfer: a REFER on its dialog is never Meta's.
        if case .meta = dialogPeers[id] { return (403, "no transfer on a WhatsApp SIP-mode call") }
        if !transfer.fromTrunks, isTrunkDialog(id, sip) { return (403, "transfer from trunks disabled") }
        if pendingRefers[id] != nil { return (491, "a transfer is already in progress on this call") }
        return nil
    }

    /// True when the far end of dialog `id` is a trunk: the trunk that placed an
    /// incoming call, or for a call wagate placed, the trunk the REFER comes from.
    private func isTrunkDialog(_ id: UInt64, _ sip: UnsafePointer<sip_t>) -> Bool {
        switch dialogPeers[id] {
        case .trunk: return true
        case .user, .meta: return false
        case nil:
            let source = SofiaMessageReader.source(nua)
            return config.trunk(matchingSource: source.host) != nil
        }
    }

    /// The NUTAG_REFER_EVENT nua built for this REFER, `refer` when absent.
    private func referEvent(_ tags: UnsafeMutablePointer<tagi_t>?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard sofia_tags_refer_event(tags, &buffer, buffer.count) > 0 else { return "refer" }
        return SofiaMessageReader.cString(buffer)
    }

    /// Our handle for the dialog `replaces` names, when nua has it and it is not the REFER's own.
    private func localDialog(replacing replaces: ReplacesHeader, except own: UInt64) -> SIPHandle? {
        guard let magic = sofia_hmagic_by_replaces(nua, replaces.description) else { return nil }
        let id = UInt64(UInt(bitPattern: magic))
        guard id != own, handles[id] != nil else { return nil }
        return SIPHandle(rawValue: id)
    }

    /// Sends the NOTIFY for the REFER pending on `id`. A provisional status
    /// equal to the last one sent is not repeated (the stack's own `100 Trying`
    /// and call control's); a final one ends the pending REFER.
    func notifyRefer(_ id: UInt64, status: Int, terminated: Bool) {
        guard let nh = handles[id], var pending = pendingRefers[id] else {
            logger.debug("no pending REFER to notify", metadata: ["handle": "\(id)", "status": "\(status)"])
            return
        }
        if !terminated, status == pending.lastStatus { return }
        let clamped = min(max(status, 100), 699)
        sofia_nua_notify_sipfrag(nh, pending.event, Self.sipfrag(clamped), terminated ? 1 : 0)
        countSent(request: "NOTIFY")
        pending.lastStatus = clamped
        pendingRefers[id] = terminated ? nil : pending
    }

    /// The Replaces header for an outgoing INVITE: a copied value, or the one
    /// the far end of our own dialog `handle` matches (our local tag as its
    /// to-tag's counterpart: nua renders from-tag = our tag, to-tag = theirs).
    func replacesHeader(_ replaces: SIPOutgoingReplaces) -> ReplacesHeader? {
        switch replaces {
        case .value(let header): return header
        case .dialog(let handle):
            guard let nh = handles[handle.rawValue] else { return nil }
            var buffer = [CChar](repeating: 0, count: ReplacesHeader.maximumLength + 1)
            guard sofia_handle_replaces(nh, &buffer, buffer.count) > 0 else { return nil }
            return ReplacesHeader(SofiaMessageReader.cString(buffer))
        }
    }
}
