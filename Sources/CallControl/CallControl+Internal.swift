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

extension CallControl {
    /// An attended transfer of call `id` whose consultation is the internal call
    /// owning `leg` (its caller's leg: the transferor's side). The plan rings the
    /// consultation's answered user's phones with an INVITE that replaces the
    /// consultation's dialog (RFC 3891): only the phone in that dialog accepts
    /// (without ringing) and BYEs it, which ends the consultation; the others answer
    /// 481 or, without Replaces support, 420 (`Require: replaces`). A consultation
    /// answered by a browser, or not answered, is refused (501, 481).
    func consultationTransfer(_ leg: SIPLegID, of id: CallID, caller: String) -> CallEvent {
        guard let other = byLeg[leg], other != id, let entry = calls[other], !entry.machine.isEnded else {
            return .transferRefused(status: 481, detail: "no call owns the replaced dialog")
        }
        guard entry.machine.direction == .internal else { return consultationRefusal(leg, of: id) }
        guard let callee = entry.machine.internalCalleeLeg, callee != leg,
              let targets = entry.machine.internalTargets(of: callee) else {
            return .transferRefused(status: 481, detail: "the consultation is not answered")
        }
        let phones = targets.filter { !$0.isAgent }
        guard let user = phones.first?.ownerName else {
            return .transferRefused(status: 501, detail: "a consultation answered in a browser cannot be joined")
        }
        let stage = RingStage(targets: phones.filter { $0.ownerName == user }, callerNumber: caller)
        var plan = TransferPlan(stages: [stage], label: "user:\(user)", replaces: .dialogOf(callee),
                                owners: [Admission.ownerKey(.user(user))])
        plan.calledNumber = calls[id].flatMap { numberConfig($0.number)?.businessNumber }
        return .transferResolved(plan)
    }
}
