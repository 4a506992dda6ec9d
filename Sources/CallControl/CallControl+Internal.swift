// Internal calls in the call table: admission, the ring plan of the user or
// group dialled (phones and browsers, skipping those at `max_calls`), and the
// owners both sides count against.

import Config

extension CallControl {
    /// An INVITE from a user to another user or a ring group (``Admission/internalTarget(_:)``).
    /// Refused like any call at the limits; rung as an inbound call to that target
    /// would be, except that a group does not ring the caller, and counted against
    /// the caller and every user rung.
    func handleInternalInvite(_ invite: IncomingInvite, target: InboundTarget) async {
        guard byLeg[invite.leg] == nil, case .user(let caller) = invite.origin else { return }
        let id = makeCallID()
        if let refusal = admission.admitInternal(invite.origin, activeCalls: activeCallCount,
                                                 activeCallsByOwner: ownerCounts(), draining: draining) {
            refuse(invite, id: id, refusal: refusal, direction: .internal)
            return
        }
        var contacts: [String: [String]] = [:]
        for user in router.users(in: target) where contacts[user] == nil {
            let isCallerInGroup = user == caller && target != .user(caller)
            contacts[user] = isCallerInGroup ? [] : await ports.resolver.registeredContacts(ofUser: user)
        }
        guard byLeg[invite.leg] == nil else { return }
        let counts = ownerCounts()
        let inbound = InboundConfig(target: target, routes: [], ringTimeout: router.config.inbound.ringTimeout)
        let plan = router.plan(forCaller: caller, inbound: inbound, contacts: { contacts[$0] ?? [] }, isAtLimit: { owner in
            counts[owner, default: 0] >= self.limit(ofOwner: owner)
        })
        var machine = CallStateMachine(id: id, internal: invite, caller: caller, plan: plan, settings: settings)
        let owners = Set(plan.stages.flatMap { $0.targets.map(Self.ownerKey(of:)) }).union([Admission.ownerKey(invite.origin)])
        let actions = machine.start()
        calls[id] = Entry(machine: machine, number: settings.defaultNumber, owners: owners, legs: [invite.leg])
        byLeg[invite.leg] = id
        afterStep(id, actions: actions)
    }
}
