extension CallStateMachine {
    /// A transfer asked on `leg`. This build carries no transfer: the request is
    /// refused with a final `501 Not Implemented` sipfrag and the call goes on
    /// with the party that asked.
    mutating func transferRequested(_ request: TransferRequest, on leg: SIPLegID) -> [CallControlAction] {
        [.notifyTransfer(leg, status: 501, final: true)]
    }
}
