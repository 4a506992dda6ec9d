// An operator's hang-up from the admin API, like Asterisk's `channel request
// hangup` or ARI's DELETE /channels/{id}: both legs end as normal clearing.

extension CallStateMachine {
    /// Ends the call on both legs: BYE (or 480 before answer) on SIP, terminate
    /// (or reject) on WhatsApp; the CDR says the gateway ended it. Once the SIP
    /// leg is answered no SIP status is recorded: the phone got a BYE, not a 480.
    mutating func operatorHangUp() -> [CallControlAction] {
        let answered = legStates.sip == "answered"
        let ending = CallEnding(reason: .normal, endedBy: .gateway, detail: "hung up by an operator")
        let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable",
                                   reason: FailureMapping.sipReason(480, "Hung up by operator"))
        let actions = end(ending, response: response)
        guard answered else { return actions }
        return actions.map { action in
            guard case .record(.ended(var recorded)) = action else { return action }
            recorded.sipStatus = nil
            return .record(.ended(recorded))
        }
    }
}
