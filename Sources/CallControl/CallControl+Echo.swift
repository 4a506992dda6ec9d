// The echo test's entry point: an echo call is admitted and driven like any
// other call, with the echo media adapter instead of a bridge.

extension CallControl {
    /// An INVITE to the echo test (after authentication). It is admitted by the same
    /// limits as any call (the user's `max_calls`, the gateway's, draining), counted
    /// until it ends, and recorded with direction `echo`.
    public func handleEchoInvite(_ invite: IncomingInvite) {
        guard byLeg[invite.leg] == nil else { return }
        let id = makeCallID()
        let owner = Admission.ownerKey(invite.origin)
        if let refusal = admission.admitEcho(invite.origin, activeCalls: activeCallCount,
                                             activeCallsByOwner: ownerCounts(), draining: draining,
                                             available: ports.echo != nil) {
            refuse(invite, id: id, refusal: refusal, direction: .echo)
            return
        }
        var machine = CallStateMachine(id: id, echo: invite, settings: settings)
        let actions = machine.start()
        calls[id] = Entry(machine: machine, number: settings.defaultNumber, owners: [owner], legs: [invite.leg])
        byLeg[invite.leg] = id
        afterStep(id, actions: actions)
    }

    /// Whether `leg` is the SIP leg of an echo test call still in the table; the SIP
    /// adapter reports such a leg's dialog ending on its own (no ACK, transport error).
    public func isEchoCall(on leg: SIPLegID) -> Bool {
        byLeg[leg].flatMap { calls[$0] }?.machine.direction == .echo
    }
}
