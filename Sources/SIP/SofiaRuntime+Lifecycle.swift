import CSofiaSIP
import CSofiaShims

/// The life of the nua handles that sofia creates for incoming requests.
///
/// Rule: a handle nua hands the application with a request event either ends
/// the callback bound to one of our ids (`adopt`, owned by a dialog until
/// `forget`), or is destroyed before the callback returns. Requests nua
/// answers itself (OPTIONS, methods outside `Allow`) still arrive with a fresh
/// handle; forgetting it leaked ~1.5 KB per packet.
extension SofiaRuntime {
    /// The methods wagate serves, advertised in `Allow` and answered in
    /// OPTIONS. Everything else gets 405 with this list from nua itself, before
    /// any handle exists: PRACK (no reliable provisionals are sent), MESSAGE,
    /// SUBSCRIBE, NOTIFY, REFER and PUBLISH are not served outside a call.
    static let allowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REGISTER"

    /// The methods a call's dialog accepts: also REFER (`SofiaRuntime+Refer`).
    /// Set on each call's handle, so that a REFER outside a call gets nua's
    /// 405 with `allowedMethods` before any handle or subscription exists
    /// (sofia would otherwise NOTIFY `100 Trying` for it whatever the answer).
    static let dialogMethods = allowedMethods + ", REFER"

    /// The body types wagate reads (`Accept` in answers to OPTIONS).
    static let acceptedTypes = "application/sdp, application/dtmf-relay, application/dtmf"

    /// The events that carry an incoming request and may bring a handle nua
    /// just created for it.
    static func isRequestEvent(_ event: nua_event_t) -> Bool {
        switch event {
        case nua_i_invite, nua_i_register, nua_i_options, nua_i_info, nua_i_update, nua_i_bye, nua_i_cancel,
             nua_i_ack, nua_i_prack, nua_i_message, nua_i_chat, nua_i_subscribe, nua_i_notify, nua_i_refer,
             nua_i_publish, nua_i_method:
            return true
        default:
            return false
        }
    }

    /// Takes a reference on a fresh request handle for the callback's duration,
    /// so that `releaseUnadopted` may look at it even when a handler has
    /// destroyed it already (a destroyed handle is then only invalid, not freed).
    func holdDuringCallback(_ nh: OpaquePointer?) {
        if let nh { _ = nua_handle_ref(nh) }
    }

    /// Ends the callback for a request that came with a fresh handle: unless a
    /// handler adopted it (bound one of our ids), it is destroyed; the answer
    /// has been sent. Destroying twice is harmless: nua ignores a handle that is
    /// no longer valid. Then the callback's reference is dropped.
    func releaseUnadopted(_ nh: OpaquePointer?) {
        guard let nh else { return }
        if nua_handle_magic(nh) == nil { nua_handle_destroy(nh) }
        _ = nua_handle_unref(nh)
    }

    /// Publishes the number of live handles when it changed.
    func reportHandleCount() {
        let count = handles.count
        guard count != reportedHandles else { return }
        reportedHandles = count
        settings.handleCount?(count)
    }
}

extension SofiaRuntime {
    /// The method of the request an incoming-request event carries, or of the
    /// request a response event answers; nil for other events.
    static func trafficMethod(_ event: nua_event_t) -> (method: String, isRequest: Bool)? {
        switch event {
        case nua_i_invite: ("INVITE", true)
        case nua_i_register: ("REGISTER", true)
        case nua_i_options: ("OPTIONS", true)
        case nua_i_info: ("INFO", true)
        case nua_i_update: ("UPDATE", true)
        case nua_i_bye: ("BYE", true)
        case nua_i_cancel: ("CANCEL", true)
        case nua_i_ack: ("ACK", true)
        case nua_i_prack: ("PRACK", true)
        case nua_i_message: ("MESSAGE", true)
        case nua_i_subscribe: ("SUBSCRIBE", true)
        case nua_i_notify: ("NOTIFY", true)
        case nua_i_refer: ("REFER", true)
        case nua_i_publish: ("PUBLISH", true)
        case nua_i_chat, nua_i_method: ("other", true)
        case nua_r_invite: ("INVITE", false)
        case nua_r_update: ("UPDATE", false)
        case nua_r_bye: ("BYE", false)
        case nua_r_cancel: ("CANCEL", false)
        case nua_r_options: ("OPTIONS", false)
        case nua_r_info: ("INFO", false)
        case nua_r_notify: ("NOTIFY", false)
        default: nil
        }
    }
}
