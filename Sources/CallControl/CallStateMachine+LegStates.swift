// Each leg's state for operators (admin API, console): `setup`, `ringing`,
// `answered` or `ended`, read from the machine's state.

extension CallStateMachine {
    /// The SIP and WhatsApp legs' states. Outbound: the WhatsApp leg answers
    /// (accept) before the phone gets its 200; inbound: the phone answers before
    /// WhatsApp's accept completes. Echo and callback calls follow their phase names.
    var legStates: (sip: String, whatsApp: String) {
        switch state {
        case .ended:
            return ("ended", "ended")
        case .outbound(_, .setup(let setup)):
            if setup.accepted { return ("ringing", "answered") }
            return setup.alerted ? ("ringing", "ringing") : ("setup", "setup")
        case .outbound(_, .answered), .inbound(_, .connected), .transferred(_, .connected):
            return ("answered", "answered")
        case .transferred(_, .ringing):
            return ("ringing", "answered")
        case .transferred:
            return ("setup", "answered")
        case .inbound(_, .ringing):
            return ("ringing", "ringing")
        case .inbound(_, .accepting):
            return ("answered", "setup")
        case .outbound, .inbound:
            return ("setup", "setup")
        case .internalCall(_, .connected):
            return ("answered", "-")
        case .internalCall(_, .ringing):
            return ("ringing", "-")
        case .internalCall:
            return ("setup", "-")
        case .echo, .callback:
            let step = phase.split(separator: ".").last.map(String.init) ?? phase
            let known = ["ringing", "answered", "connected", "echoing"]
            let state = known.contains(step) ? (step == "ringing" ? "ringing" : "answered") : "setup"
            return (state, state)
        }
    }
}
