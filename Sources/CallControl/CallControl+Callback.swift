// Callbacks in call control: armed when the machine refuses a caller that has
// `permission_callback` for lack of permission (with a request sent), fired
// when the user's `call_permission_reply` accepts in time, dropped on decline
// or at the deadline. The callback itself is a call like any other, owned by
// its CallStateMachine.

import Foundation
import Logging

extension CallControl {
    /// Remembers a refused caller to call back through `number`, unless the
    /// permission request that came with the refusal cannot reach the user
    /// (no open window and no template): then no reply can ever come. Returns
    /// whether the callback was armed.
    func armCallback(_ request: CallbackRequest, number: WhatsAppNumberID, after permissionRequest: PermissionRequestOutcome?,
                     context: CallLogContext) -> Bool {
        if permissionRequest == .impossible {
            logger.notice("callback not armed: no permission request can reach the user",
                          metadata: Self.metadata(context, Self.callbackFields(request, number: number)))
            return false
        }
        expireCallbacks()
        let armed = callbacks.arm(request, number: number, now: clock.now)
        var fields = Self.callbackFields(request, number: number)
        fields["window_s"] = "\(request.window.components.seconds)"
        switch armed {
        case .added: fields["armed"] = "new"
        case .replaced: fields["armed"] = "replaced"
        case .evicted(let dropped):
            fields["armed"] = "evicted"
            fields["evicted_user"] = dropped.request.user.address
        }
        logger.notice("callback armed", metadata: Self.metadata(context, fields))
        scheduleCallbackSweep()
        return true
    }

    /// A `call_permission_reply` for `user` on `number`: calls back every caller
    /// waiting for it (accepted in time), or drops them (declined, too late).
    func permissionReplied(_ user: WhatsAppUser, accepted: Bool, number: WhatsAppNumberID) async {
        let (due, expired) = callbacks.take(user: user, number: number, now: clock.now)
        logger.notice("permission reply", metadata: ["user": "\(user.address)", "accepted": "\(accepted)",
                                                     "phone_number_id": "\(number.rawValue)",
                                                     "callbacks": "\(due.count)"])
        for pending in expired { logDropped(pending, why: "permission arrived after the deadline") }
        guard accepted else {
            for pending in due { logDropped(pending, why: "permission declined") }
            return
        }
        for pending in due {
            // The reply reaches every node of a cluster; a caller refused on two
            // of them is called back by the first to claim it.
            let key = "callback:\(number.rawValue):\(Admission.ownerKey(pending.request.origin)):\(user.address)"
            if let claims = ports.claims, await !claims.claimOnce(key, window: Self.callbackClaimWindow) {
                logDropped(pending, why: "another node of the cluster calls back")
                continue
            }
            await fireCallback(pending, user: directory.complete(user))
        }
    }

    /// How long a callback claimed by one node stops the others calling the same
    /// caller back for the same user (one reply reaches them within seconds).
    static let callbackClaimWindow: Duration = .seconds(120)

    /// Starts the callback call of `pending`, unless policy or limits refuse it now.
    func fireCallback(_ pending: PendingCallback, user: WhatsAppUser) async {
        let request = pending.request
        guard let target = await callbackTarget(request, user: user) else {
            logDropped(pending, why: "\(request.origin) has no registered contact")
            return
        }
        let refusal = admission.admitCallback(request, number: pending.number, activeCalls: activeCallCount,
                                              activeCallsByOwner: ownerCounts(),
                                              activeCallsByNumber: numberCallCounts(), draining: draining)
            ?? graphUnavailableRefusal() ?? mediaLoadRefusal(.callback)
        if let refusal {
            logDropped(pending, why: refusal.response.warning ?? refusal.reason.rawValue)
            return
        }
        let id = makeCallID()
        var machine = CallStateMachine(id: id, callback: CallbackCall(user: user, target: target), settings: settings)
        logger.notice("callback firing", metadata: Self.metadata(machine.context,
                                                                 Self.callbackFields(request, number: pending.number)))
        let actions = machine.start()
        calls[id] = Entry(machine: machine, number: pending.number, owners: [Admission.ownerKey(request.origin)])
        afterStep(id, actions: actions)
    }

    /// Where the callback rings: a user's registered contacts (as an inbound
    /// call to that user), or the trunk with the original From user as the
    /// Request-URI user. Nil when a user has no contact.
    private func callbackTarget(_ request: CallbackRequest, user: WhatsAppUser) async -> CallbackTarget? {
        let name = Admission.ownerKey(request.origin)
        switch request.origin {
        case .user(let account):
            let contacts = await ports.resolver.registeredContacts(ofUser: account)
            guard !contacts.isEmpty else { return nil }
            return CallbackTarget(name: name, targets: contacts.map { .contact(user: account, uri: $0) },
                                  callerNumber: user.sipUser)
        case .trunk(let trunk):
            let rewrite = router.config.trunk(named: trunk)?.rewriteOutboundCaller
            let caller = user.phone.map { rewrite?($0) ?? $0 } ?? user.sipUser
            return CallbackTarget(name: name, targets: [.trunk(trunk)], callerNumber: caller,
                                  requestUser: request.fromUser)
        }
    }

    /// Drops callbacks past their deadline, with a log line each.
    func expireCallbacks() {
        for pending in callbacks.expire(now: clock.now) { logDropped(pending, why: "deadline passed") }
    }

    /// Sweeps expired callbacks at the earliest deadline, so each drop is logged when it happens.
    private func scheduleCallbackSweep() {
        guard callbackSweep == nil, let deadline = callbacks.nextDeadline else { return }
        let wait = max(0, deadline.timeIntervalSince(clock.now)) + 0.001
        callbackSweep = clock.schedule(after: .milliseconds(Int64(min(wait, 86_401) * 1000))) { [weak self] in
            await self?.callbackSweepDue()
        }
    }

    private func callbackSweepDue() {
        callbackSweep = nil
        expireCallbacks()
        scheduleCallbackSweep()
    }

    private func logDropped(_ pending: PendingCallback, why: String) {
        var fields = Self.callbackFields(pending.request, number: pending.number)
        fields["why"] = why
        logger.notice("callback dropped", metadata: Self.metadata(CallLogContext(callID: CallID("callback")), fields))
    }

    private static func callbackFields(_ request: CallbackRequest, number: WhatsAppNumberID) -> [String: String] {
        ["caller": "\(request.origin)", "user": request.user.address, "phone_number_id": number.rawValue,
         "refused_sip_call_id": request.sipCallID]
    }
}
