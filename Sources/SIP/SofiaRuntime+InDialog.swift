import CSofiaSIP
import CSofiaShims

/// A re-INVITE or UPDATE waiting for the gateway's answer: the request nua
/// saved for a later `nua_respond`, and when the stack answers it itself.
struct PendingInDialogRequest {
    /// nua's saved event (owned: freed by `nua_destroy_event` once answered).
    let saved: UnsafeMutablePointer<nua_saved_event_t?>
    /// Seconds since 1970 after which the stack answers 500.
    let deadline: Double
    /// The request's method (`INVITE` or `UPDATE`), for counting the answer.
    let method: String
}

/// Re-INVITE and UPDATE inside a dialog: the SIP layer does not answer them.
/// The request goes up as `SIPEvent.reinvite`/`.update`; call control asks the
/// media negotiator for the answer and sends it back with `SIPCommand.respond`.
/// A request nobody answers within `inDialogAnswerTimeout` gets 500 with
/// Retry-After (RFC 3261 §14.2), so no nua server request is left behind.
/// One request per dialog at a time: a second offer while one is pending gets
/// 491 Request Pending (RFC 3261 §14.2, RFC 3311 §5.2).
extension SofiaRuntime {
    /// How long call control has to answer a re-INVITE or UPDATE.
    static let inDialogAnswerTimeout: Double = 4

    /// Keeps the request being processed for a later answer and reports `event`.
    func holdForAnswer(_ nh: OpaquePointer?, _ id: UInt64, _ event: SIPEvent) {
        guard pendingInDialog[id] == nil else {
            respondCurrent(nh, 491, "Request Pending")
            return
        }
        let saved = UnsafeMutablePointer<nua_saved_event_t?>.allocate(capacity: 1)
        saved.initialize(to: nil)
        guard nua_save_event(nua, saved) != 0 else {
            saved.deallocate()
            respondCurrent(nh, 500, "Server Internal Error")
            return
        }
        pendingInDialog[id] = PendingInDialogRequest(saved: saved, deadline: Self.now() + Self.inDialogAnswerTimeout,
                                                     method: servingMethod ?? "INVITE")
        armInDialogTimer()
        emit(event)
    }

    /// Answers the pending re-INVITE/UPDATE on `id`, if there is one; a final
    /// answer ends it. Returns false when none is pending.
    func respondInDialog(_ id: UInt64, _ status: Int, sdp: String?, headers: [String]) -> Bool {
        guard let pending = pendingInDialog[id], let nh = handles[id] else { return false }
        let tags = TagList()
        tags.add(sofia_nutag_with_saved(pending.saved))
        if let contact = responseContact[id] { tags.add(contact, sofia_siptag_contact_str) }
        if let sdp {
            tags.add("application/sdp", sofia_siptag_content_type_str)
            tags.add(sdp, sofia_siptag_payload_str)
        }
        for header in headers { tags.add(header, sofia_siptag_header_str) }
        tags.withTags { sofia_nua_respond(nh, Int32(status), Self.staticPhrase(status), $0) }
        countSent(response: pending.method, status: status)
        if status >= 200 {
            pendingInDialog[id] = nil
            release(pending)
        }
        return true
    }

    /// Frees the pending request of a handle that is going away.
    func dropInDialog(_ id: UInt64) {
        if let pending = pendingInDialog.removeValue(forKey: id) { release(pending) }
    }

    /// At shutdown, before the nua goes: frees every saved request and the sweep timer.
    func closeInDialog() {
        for id in Array(pendingInDialog.keys) { dropInDialog(id) }
        if let timer = inDialogTimer { su_timer_destroy(timer) }
        inDialogTimer = nil
    }

    private func release(_ pending: PendingInDialogRequest) {
        nua_destroy_event(pending.saved)
        pending.saved.deinitialize(count: 1)
        pending.saved.deallocate()
    }

    /// Answers 500 to every request whose answer is overdue.
    func expireInDialog() {
        let now = Self.now()
        for (id, pending) in pendingInDialog where pending.deadline <= now {
            logger.warning("in-dialog request not answered in time; 500 sent", metadata: ["handle": "\(id)"])
            _ = respondInDialog(id, 500, sdp: nil, headers: [SIPRetryAfter(seconds: 1).header])
        }
        if !pendingInDialog.isEmpty { armInDialogTimer() }
    }

    /// Arms the one-second sweep unless it is armed (freed by `closeInDialog`).
    private func armInDialogTimer() {
        if inDialogTimer == nil { inDialogTimer = su_timer_create(su_root_task(root), 1_000) }
        guard let timer = inDialogTimer, su_timer_is_set(timer) == 0 else { return }
        su_timer_set(timer, { _, _, arg in
            guard let arg else { return }
            Unmanaged<SofiaRuntime>.fromOpaque(arg).takeUnretainedValue().expireInDialog()
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
