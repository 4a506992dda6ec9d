// Hold and mute of a business side that does not renegotiate SDP: a browser
// agent's `hold` and `mute`. SIP phones hold by re-INVITE (`sipOffered`).

extension CallStateMachine {
    /// The browser on the established business leg holds or mutes: the bridge sends
    /// the WhatsApp user silence and keeps Meta's leg fed, as Asterisk's and
    /// FreeSWITCH's hold keep the far side's media flowing. Ignored on any other
    /// leg, and on the echo test (no WhatsApp leg).
    mutating func businessMediaState(_ state: BusinessMediaState, on leg: SIPLegID) -> [CallControlAction] {
        guard direction != .echo, ownsEstablished(leg) else { return [] }
        return [.setBusinessMedia(state)]
    }
}
