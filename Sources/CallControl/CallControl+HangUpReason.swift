// Why call control hangs up a business leg, for the parties that show it.

extension CallControl {
    /// The reason given with a hang-up of a leg of call `id`: once its machine has
    /// ended, the call's ending is attached (to `reason`, else to Q.850 cause 16,
    /// normal clearing), so a browser's `ended` says who ended the call and why (the
    /// WhatsApp user, an operator, a drain, a media failure). While the call goes on
    /// (a transfer moving it away from the leg) `reason` is kept as it is: the agent
    /// adapter knows that case itself.
    func endingReason(of id: CallID, adding reason: SIPReason?) -> SIPReason? {
        guard case .ended(let ending) = calls[id]?.machine.state else { return reason }
        var result = reason ?? SIPReason(protocolName: "Q.850", cause: 16, text: ending.detail ?? ending.reason.rawValue)
        result.callEnding = ending
        return result
    }
}
