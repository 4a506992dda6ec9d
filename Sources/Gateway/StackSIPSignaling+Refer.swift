import CallControl

extension StackSIPSignaling {
    /// Reports a transfer's progress by NOTIFY. The stack accepts no REFER in
    /// this build, so there is no subscription to notify.
    func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async {}
}
