// An operator's hang-up from the admin API, like Asterisk's `channel request
// hangup` or ARI's DELETE /channels/{id}: both legs end, cause normal clearing.

extension CallStateMachine {
    /// Ends the call on both legs: BYE (or 480 before answer) on SIP, terminate
    /// (or reject) on WhatsApp; the CDR says the gateway ended it, by operator request.
    mutating func operatorHangUp() -> [CallControlAction] {
        let ending = CallEnding(reason: .normal, endedBy: .gateway, detail: "hung up by an operator")
        let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable",
                                   reason: FailureMapping.sipReason(480, "Hung up by operator"))
        return end(ending, response: response)
    }
}
