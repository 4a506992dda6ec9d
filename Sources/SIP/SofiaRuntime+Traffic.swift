import CSofiaSIP

/// Counting of SIP messages both ways (`SIPStackSettings/observe`), at the
/// points where sofia hands wagate a message and wagate hands sofia one. On the
/// SIP thread; the observer only bumps atomic counters.
extension SofiaRuntime {
    /// Tells `settings.observe` about a request or response event (once per
    /// message, on the SIP thread), and about the response nua already sent
    /// for a request it answers itself.
    func observeTraffic(_ event: nua_event_t, status: Int) {
        guard let observe = settings.observe, let (method, isRequest) = Self.trafficMethod(event) else { return }
        guard isRequest else {
            observe(.response(method: method, status: status, direction: .in))
            return
        }
        observe(.request(method: method, direction: .in))
        // nua has sent 100 Trying to every INVITE before reporting it.
        if method == "INVITE", status == 100 { observe(.response(method: method, status: status, direction: .out)) }
        guard status >= 200, Self.nuaAnswers(method) else { return }
        observe(.response(method: method, status: status, direction: .out))
        // nua ends the INVITE a CANCEL matched with 487 (RFC 3261 §9.2).
        if method == "CANCEL" { observe(.response(method: "INVITE", status: 487, direction: .out)) }
    }

    /// Whether nua answers a request of `method` before reporting it (methods
    /// outside `NUTAG_APPL_METHOD`); its event carries the status sent.
    static func nuaAnswers(_ method: String) -> Bool {
        switch method {
        case "INVITE", "REGISTER", "INFO", "UPDATE", "ACK", "OPTIONS": false
        default: true
        }
    }

    /// Counts a request wagate hands to sofia.
    func countSent(request method: String) {
        settings.observe?(.request(method: method, direction: .out))
    }

    /// Counts a response wagate hands to sofia.
    func countSent(response method: String, status: Int) {
        settings.observe?(.response(method: method, status: status, direction: .out))
    }
}
