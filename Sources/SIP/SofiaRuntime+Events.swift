import CSofiaSIP
import CSofiaShims
import Logging

/// The nua callback: a C function pointer that finds the runtime through `magic`.
/// Runs on the SIP thread, inside `su_root_run`.
let sofiaCallback: nua_callback_f = { event, status, phrase, nua, magic, nh, hmagic, sip, tags in
    guard let magic else { return }
    let runtime = Unmanaged<SofiaRuntime>.fromOpaque(magic).takeUnretainedValue()
    runtime.handle(event: event, status: Int(status), phrase: phrase.map { String(cString: $0) } ?? "",
                   nh: nh, hmagic: hmagic, sip: sip, tags: tags)
}

extension SofiaRuntime {
    // swiftlint:disable:next function_parameter_count
    func handle(event: nua_event_t, status: Int, phrase: String, nh: OpaquePointer?,
                hmagic: UnsafeMutableRawPointer?, sip: UnsafePointer<sip_t>?, tags: UnsafeMutablePointer<tagi_t>?) {
        let known = id(of: nh, hmagic: hmagic)
        let fresh = known == nil && Self.isRequestEvent(event) ? nh : nil
        holdDuringCallback(fresh)
        defer {
            releaseUnadopted(fresh)
            reportHandleCount()
        }
        observeTraffic(event, status: status)
        servingMethod = Self.trafficMethod(event).flatMap { $0.isRequest ? $0.method : nil }
        defer { servingMethod = nil }
        dispatch(event: event, status: status, phrase: phrase, nh: nh, known: known, sip: sip, tags: tags)
    }

    // swiftlint:disable:next function_parameter_count
    private func dispatch(event: nua_event_t, status: Int, phrase: String, nh: OpaquePointer?, known: UInt64?,
                          sip: UnsafePointer<sip_t>?, tags: UnsafeMutablePointer<tagi_t>?) {
        switch event {
        case nua_i_register: if let sip { onRegister(nh, sip) }
        case nua_i_options: onOptions(nh, known)
        case nua_i_invite: if let sip { onInvite(nh, known, sip) }
        case nua_i_update: if let sip { onUpdate(nh, known, sip) }
        case nua_i_info: if let sip { onInfo(nh, known, sip) }
        case nua_i_refer: if let sip { onRefer(nh, known, sip, tags) }
        case nua_i_ack: if let known { emit(.acknowledged(SIPHandle(rawValue: known), body: (sip.map(SofiaMessageReader.body) ?? []))) }
        case nua_i_cancel:
            if let known {
                cancelled.insert(known)
                emit(.cancelled(SIPHandle(rawValue: known)))
            }
        case nua_i_bye:
            if let known {
                logMetaCallDuration(known, sip)
                emit(.bye(SIPHandle(rawValue: known)))
            }
        case nua_i_state: onState(known, status: status, phrase: phrase, tags: tags)
        case nua_i_terminated: onTerminated(known, status: status, phrase: phrase)
        case nua_r_invite: onInviteResponse(nh, known, status: status, phrase: phrase, sip: sip)
        case nua_r_update:
            if let known, status >= 200 {
                emit(.inDialogResponse(SIPHandle(rawValue: known), method: "UPDATE", status: status, phrase: phrase))
            }
        case nua_r_bye, nua_r_cancel:
            if let known, status >= 200 {
                emit(.requestResponse(SIPHandle(rawValue: known), method: event == nua_r_bye ? "BYE" : "CANCEL", status: status))
            }
        case nua_r_options:
            if let known, status >= 200 {
                forget(known)
                emit(.requestResponse(SIPHandle(rawValue: known), method: "OPTIONS", status: status))
            }
        case nua_r_shutdown:
            if status >= 200 {
                shutdownComplete = true
                su_root_break(root)
            }
        default:
            // OPTIONS (answered by nua with Allow and Accept) and requests nua
            // refused itself: nothing to do; a fresh handle is released above.
            break
        }
    }

    // MARK: - OPTIONS

    /// 200 (nua adds Allow, Accept and Supported), or 503 with `Retry-After` to an
    /// out-of-dialog OPTIONS while the gateway drains; an out-of-dialog handle is freed.
    private func onOptions(_ nh: OpaquePointer?, _ known: UInt64?) {
        defer { if known == nil, let nh { nua_handle_destroy(nh) } }
        if known == nil && !acceptingCalls {
            shed(nh, retryAfter: 30)
        } else {
            respondCurrent(nh, 200, "OK")
        }
    }

    // MARK: - REGISTER

    private func onRegister(_ nh: OpaquePointer?, _ sip: UnsafePointer<sip_t>) {
        defer { if let nh { nua_handle_destroy(nh) } }
        let request = SofiaMessageReader.request(sip, nua: nua)
        if let retryAfter = access.admit(request, now: Self.now()) { return shed(nh, retryAfter: retryAfter) }
        switch access.check(request, trunksByAddress: false, now: Self.now()) {
        case .challenge(let stale):
            challenge(nh, request, isRegister: true, stale: stale)
        case .forbidden(let reason):
            respondCurrent(nh, 403, warning: reason)
        case .badRequest(let reason):
            respondCurrent(nh, 400, warning: reason)
        case .identified(.trunk), .identified(.meta):
            respondCurrent(nh, 403, "Forbidden")
        case .identified(.user(let user)):
            guard request.toUser == user else {
                respondCurrent(nh, 403, warning: "To user does not match credentials")
                return
            }
            register(nh, request, user: user)
        }
    }

    private func register(_ nh: OpaquePointer?, _ request: SIPRequest, user: String) {
        let now = Self.now()
        switch registrar.register(request, user: user, now: now) {
        case .ok(let bindings):
            respondCurrent(nh, 200, "OK") { tags in
                for binding in bindings {
                    let remaining = Int(min(max(binding.expiresAt - now, 1), Double(Int32.max)))
                    tags.add("\(SIPNameAddress(uri: binding.contact));expires=\(remaining)", sofia_siptag_contact_str)
                }
            }
            logger.info("registered", metadata: ["user": "\(user)", "contacts": "\(bindings.count)", "source": "\(request.source)"])
            emit(.registrationChanged(user: user, contacts: bindings.count))
        case .intervalTooBrief(let minimum):
            respondCurrent(nh, 423, "Interval Too Brief") { $0.add("Min-Expires: \(minimum)", sofia_siptag_header_str) }
        case .badRequest(let reason):
            respondCurrent(nh, 400, warning: reason)
        }
    }

    // MARK: - INVITE, UPDATE, INFO

    private func onInvite(_ nh: OpaquePointer?, _ known: UInt64?, _ sip: UnsafePointer<sip_t>) {
        let request = SofiaMessageReader.request(sip, nua: nua)
        if let known, established.contains(known) {
            holdForAnswer(nh, known, .reinvite(SIPHandle(rawValue: known), request))
            return
        }
        guard let nh else { return }
        let id = known ?? adopt(nh)
        if known == nil { sofia_nua_set_allow(nh, Self.dialogMethods) }
        if let retryAfter = access.admit(request, now: Self.now()) { return shed(nh, retryAfter: retryAfter) }
        switch access.check(request, trunksByAddress: true, now: Self.now()) {
        case .challenge(let stale):
            challenge(nh, request, isRegister: false, stale: stale)
        case .forbidden(let reason):
            respondCurrent(nh, 403, warning: reason)
        case .badRequest(let reason):
            respondCurrent(nh, 400, warning: reason)
        case .identified(let identity):
            responseContact[id] = responseContact(for: request)
            dialogPeers[id] = identity
            if case .meta = identity { sofia_nua_meta_dialog(nh, Self.metaDialogMethods) }
            emit(.incomingCall(SIPHandle(rawValue: id), identity, request))
        }
    }

    private func onUpdate(_ nh: OpaquePointer?, _ known: UInt64?, _ sip: UnsafePointer<sip_t>) {
        let request = SofiaMessageReader.request(sip, nua: nua)
        guard let known else {
            respondCurrent(nh, 481, "Call/Transaction Does Not Exist")
            return
        }
        holdForAnswer(nh, known, .update(SIPHandle(rawValue: known), request))
    }

    private func onInfo(_ nh: OpaquePointer?, _ known: UInt64?, _ sip: UnsafePointer<sip_t>) {
        let request = SofiaMessageReader.request(sip, nua: nua)
        guard let known else {
            respondCurrent(nh, 481, "Call/Transaction Does Not Exist")
            if let nh { nua_handle_destroy(nh) }
            return
        }
        if case .meta = dialogPeers[known] {
            // Meta sends DTMF in RTP (RFC 4733): an INFO on its dialog is acknowledged and ignored.
            respondCurrent(nh, 200, "OK")
            return
        }
        guard let (digit, duration) = DTMFRelay.parse(body: request.body, contentType: request.contentType) else {
            respondCurrent(nh, 415, "Unsupported Media Type") { $0.add("application/dtmf-relay, application/dtmf", sofia_siptag_header_str) }
            return
        }
        respondCurrent(nh, 200, "OK")
        emit(.dtmf(SIPHandle(rawValue: known), digit: digit, durationMs: duration))
    }

    // MARK: - State and responses

    private func onState(_ known: UInt64?, status: Int, phrase: String, tags: UnsafeMutablePointer<tagi_t>?) {
        guard let known else { return }
        let state = sofia_tags_callstate(tags)
        if state == Int32(nua_callstate_ready.rawValue) { established.insert(known) }
        if state == Int32(nua_callstate_terminated.rawValue) { onTerminated(known, status: status, phrase: phrase) }
    }

    private func onTerminated(_ known: UInt64?, status: Int, phrase: String) {
        guard let known, handles[known] != nil else { return }
        let settled = settledChallenge(known)
        forget(known)
        let (reported, text) = settled ?? SIPFailureCause.reported(status: status, phrase: phrase)
        emit(.terminated(SIPHandle(rawValue: known), status: reported, phrase: text))
    }

    private func onInviteResponse(_ nh: OpaquePointer?, _ known: UInt64?, status: Int, phrase: String, sip: UnsafePointer<sip_t>?) {
        let body = sip.map(SofiaMessageReader.body) ?? []
        if (200..<300).contains(status) {
            acknowledge(nh, known, body: body, inDialog: known.map(answered.contains) ?? false)
        }
        guard let known else { return }
        if handleChallenge(nh, known, status: status, phrase: phrase, sip: sip) { return }
        if answered.contains(known) {
            // nua's own session refresh (or a re-INVITE on an answered call):
            // a response inside the dialog, never the call's answer.
            if status >= 200 {
                emit(.inDialogResponse(SIPHandle(rawValue: known), method: "INVITE", status: status, phrase: phrase))
            }
            return
        }
        let contentType = sip?.pointee.sip_content_type?.pointee.c_type.map { String(cString: $0) }
        if (200..<300).contains(status) {
            established.insert(known)
            answered.insert(known)
        }
        let callID = sip?.pointee.sip_call_id?.pointee.i_id.map { String(cString: $0) }
        let (reported, text) = SIPFailureCause.reported(status: status, phrase: phrase)
        emit(.inviteResponse(SIPHandle(rawValue: known), status: reported, phrase: text, body: body,
                             contentType: contentType, callID: callID, metaWACID: metaWACID(known, sip)))
    }
}
