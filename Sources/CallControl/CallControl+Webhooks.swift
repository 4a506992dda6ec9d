// Routing webhook events to calls, and what happens to events no call claims:
// duplicates, reordering, terminate-before-connect, unknown wacids.

import Config
import Foundation
import Logging

extension CallControl {
    /// A verified, decoded call or permission webhook event, delivered for business
    /// number `number` (`metadata.phone_number_id`). Events for a number that is not
    /// configured, and call events for a number in SIP mode, are counted and ignored
    /// (see CallControl+Numbers.swift).
    public func handleWebhook(_ event: WhatsAppEvent, number: WhatsAppNumberID? = nil) async {
        await handleWhatsApp(event, number: number, fromSIPDialog: false)
    }

    /// An event of a SIP-mode number's dialog with Meta's SIP servers (`MetaSIPCalling`):
    /// handled as the webhook event it stands for. For those numbers the dialog, not
    /// the `calls` webhook, is the authority.
    public func handleMetaSIP(_ event: WhatsAppEvent, number: WhatsAppNumberID) async {
        await handleWhatsApp(event, number: number, fromSIPDialog: true)
    }

    private func handleWhatsApp(_ event: WhatsAppEvent, number: WhatsAppNumberID?, fromSIPDialog: Bool) async {
        pruneTombstones()
        var number = number
        if case .userCall(_, _, let callNumber?, _, _) = event { number = callNumber }
        if case .userMessage(_, let messageNumber?, _) = event { number = messageNumber }
        guard acceptsNumber(number) else { return }
        guard fromSIPDialog || acceptsCallWebhook(event, number: number) else { return }
        let eventNumber = number ?? settings.defaultNumber
        switch event {
        case .permissionReply(let user, let accepted, let permanent, let expiration):
            directory.learn(user)
            permissions[eventNumber, default: PermissionCache()].applyReply(
                user: user, accepted: accepted, permanent: permanent, expiration: expiration, now: clock.now)
            await permissionReplied(user, accepted: accepted, number: eventNumber)
            await notifyWatchers(user, accepted: accepted, expiration: expiration, number: eventNumber)
        case .userMessage(let user, _, let at):
            directory.learn(user)
            userActivity(user, number: eventNumber, at: at)
            logger.debug("customer service window open", metadata: ["user": "\(user.address)",
                                                                    "phone_number_id": "\(eventNumber)"])
        case .userCall(let wacid, let caller, _, let offer, let callContext):
            directory.learn(caller)
            // Meta: a user's call opens the customer service window as a message does.
            userActivity(caller, number: eventNumber, at: nil)
            await userCall(wacid: wacid, caller: caller, number: eventNumber, offer: offer, context: callContext)
        case .answer(let wacid, _, let opaque), .status(let wacid, _, let opaque):
            routeBusinessEvent(event, wacid: wacid, opaque: opaque, number: eventNumber)
        case .terminate(let wacid, _, _, _, let opaque):
            routeTerminate(event, wacid: wacid, opaque: opaque)
        }
    }

    /// The call a business-initiated event belongs to: by wacid, else by the echoed call id.
    private func owner(of wacid: WACID, opaque: String?) -> CallID? {
        if let id = byWACID[wacid] { return id }
        if let opaque, let direction = calls[CallID(opaque)]?.machine.direction, direction == .outbound || direction == .callback {
            return CallID(opaque)
        }
        return nil
    }

    private func routeBusinessEvent(_ event: WhatsAppEvent, wacid: WACID, opaque: String?, number: WhatsAppNumberID) {
        if let id = owner(of: wacid, opaque: opaque) {
            deliver(.webhook(event), to: id)
        } else if tombstones[wacid] != nil {
            return
        } else if let opaque, unknownConnects[opaque] != nil {
            terminateOrphan(wacid, number: number, why: "late webhook for a connect that timed out")
        } else {
            holdUnclaimed(event, wacid: wacid, number: number)
        }
    }

    private func routeTerminate(_ event: WhatsAppEvent, wacid: WACID, opaque: String?) {
        if let id = owner(of: wacid, opaque: opaque) {
            deliver(.webhook(event), to: id)
        } else {
            // Remembered so that a connect delivered after its terminate is ignored.
            unclaimed[wacid] = nil
            tombstones[wacid] = clock.now
        }
    }

    private func userCall(wacid: WACID, caller user: WhatsAppUser, number: WhatsAppNumberID, offer: String?,
                          context callContext: InboundCallContext?) async {
        guard byWACID[wacid] == nil, tombstones[wacid] == nil, !routing.contains(wacid) else { return }
        let caller = user.address
        let id = makeCallID()
        let numberConfig = numberConfig(number)
        let numberCalls = numberCallCounts()[number, default: 0]
        if let reason = admission.admitInbound(activeCalls: activeCallCount, draining: draining, number: numberConfig,
                                               numberCalls: numberCalls)
            ?? mediaLoadRefusal(.inbound)?.reason {
            if reason == .limit, let numberConfig, numberCalls >= numberConfig.maxCalls {
                counters.countRefusal(number: numberConfig.name, limit: .calls)
            }
            refuseInbound(wacid, id: id, caller: user, number: number, reason: reason)
            return
        }
        routing.insert(wacid)
        numberState.routing[wacid] = number
        if let slots = ports.slots, let numberConfig,
           await slots.reserve(call: id, requests: [CallSlotRequest(scope: Self.numberScope(number),
                                                                    limit: numberConfig.maxCalls)]) != nil {
            routing.remove(wacid)
            numberState.routing[wacid] = nil
            counters.countRefusal(number: numberConfig.name, limit: .calls)
            refuseInbound(wacid, id: id, caller: user, number: number, reason: .limit)
            return
        }
        let inbound = router.config.inboundPlan(of: numberConfig)
        let target = inbound.target(forCaller: caller)
        var contacts: [String: [String]] = [:]
        for user in target.map(router.users(in:)) ?? [] where contacts[user] == nil {
            contacts[user] = await ports.resolver.registeredContacts(ofUser: user)
        }
        let downTrunks = await downTrunkOwners()
        routing.remove(wacid)
        numberState.routing[wacid] = nil
        guard tombstones[wacid] == nil else {
            if let slots = ports.slots { await slots.release(call: id) }
            if calls.isEmpty && routing.isEmpty { resumeDrainWaiters() }
            return
        }
        let counts = ownerCounts()
        var plan = router.plan(forCaller: caller, inbound: inbound, contacts: { contacts[$0] ?? [] }, isAtLimit: { owner in
            if downTrunks.contains(owner) { return true }
            let limit = self.limit(ofOwner: owner)
            return counts[owner, default: 0] >= limit
        })
        plan.calledNumber = numberConfig?.businessNumber
        // The implicit number of `[whatsapp] phone_number_id` has no section, so no name.
        plan.calledNumberName = numberConfig.flatMap { $0.name == NumberConfig.implicitName ? nil : $0.name }
        var machine = CallStateMachine(id: id, inbound: wacid, caller: user, offer: offer, plan: plan,
                                       settings: settings, context: callContext)
        let owners = Set(plan.stages.flatMap { $0.targets.map(Self.ownerKey(of:)) })
        let actions = machine.start()
        calls[id] = Entry(machine: machine, number: number, owners: owners)
        byWACID[wacid] = id
        afterStep(id, actions: actions)
    }

    /// The owner key of a SIP target.
    static func ownerKey(of target: SIPTarget) -> String {
        switch target {
        case .contact(let user, _): Admission.ownerKey(.user(user))
        case .trunk(let name): Admission.ownerKey(.trunk(name))
        }
    }

    func limit(ofOwner owner: String) -> Int {
        let config = router.config
        if let user = config.users.first(where: { Admission.ownerKey(.user($0.name)) == owner }) {
            return user.maxCalls
        }
        if let trunk = config.trunks.first(where: { Admission.ownerKey(.trunk($0.name)) == owner }) {
            return trunk.maxCalls
        }
        return Int.max
    }

    /// Keeps an event for an unknown wacid until a `connect` in flight claims it,
    /// or the grace time passes and it is terminated as an orphan.
    private func holdUnclaimed(_ event: WhatsAppEvent, wacid: WACID, number: WhatsAppNumberID) {
        let now = clock.now
        unclaimed[wacid, default: (since: now, number: number, events: [])].events.append(event)
        guard unclaimedSweep == nil else { return }
        unclaimedSweep = clock.schedule(after: unclaimedGrace) { [weak self] in await self?.sweepUnclaimed() }
    }

    /// Hands held events to the call that claimed their wacid.
    func replayUnclaimed(_ wacid: WACID, to id: CallID) {
        guard let held = unclaimed.removeValue(forKey: wacid) else { return }
        for event in held.events { deliver(.webhook(event), to: id) }
    }

    /// Terminates held wacids older than the grace time.
    func sweepUnclaimed() {
        unclaimedSweep = nil
        let cutoff = clock.now.addingTimeInterval(-Double(unclaimedGrace.components.seconds) + 0.001)
        for (wacid, held) in unclaimed where held.since <= cutoff {
            unclaimed[wacid] = nil
            terminateOrphan(wacid, number: held.number, why: "no call claimed it")
        }
        if !unclaimed.isEmpty {
            unclaimedSweep = clock.schedule(after: unclaimedGrace) { [weak self] in await self?.sweepUnclaimed() }
        }
    }

    /// A connect timed out: its call may exist. Events held for unknown wacids are most likely it.
    func rememberUnknownConnect(_ id: CallID) {
        unknownConnects[id.rawValue] = clock.now
        for (wacid, held) in unclaimed {
            unclaimed[wacid] = nil
            terminateOrphan(wacid, number: held.number, why: "connect timed out; its call is terminated")
        }
    }

    /// Terminates a WhatsApp call no call in the table owns, through `number`
    /// (the business number its webhook named; the default one when unknown).
    func terminateOrphan(_ wacid: WACID, number: WhatsAppNumberID? = nil, why: String) {
        tombstones[wacid] = clock.now
        let context = CallLogContext(callID: CallID("orphan"), wacid: wacid)
        let whatsApp = ports.whatsApp
        let number = number ?? settings.defaultNumber
        let logger = logger
        logger.notice("terminating orphaned WhatsApp call: \(why)", metadata: Self.metadata(context))
        enqueue(CallID("orphan:\(wacid.rawValue)"), .graph) {
            do throws(WhatsAppFailure) {
                try await whatsApp.terminate(wacid, number: number, context: context)
            } catch {
                logger.warning("terminate of orphan failed", metadata: Self.metadata(context, ["error": "\(error)"]))
            }
        }
    }

    private func pruneTombstones() {
        let cutoff = clock.now.addingTimeInterval(-3600)
        if tombstones.count > 256 { tombstones = tombstones.filter { $0.value > cutoff } }
        if unknownConnects.count > 256 { unknownConnects = unknownConnects.filter { $0.value > cutoff } }
    }

    /// A result or event for a call no longer in the table: release what it may hold.
    func lateResult(_ event: CallEvent, for id: CallID) {
        switch event {
        case .outboundMediaOpened, .inboundMediaOpened:
            let media = ports.media
            let context = CallLogContext(callID: id)
            enqueue(id, .signalling) { await media.close(id, context: context) }
        case .connectSucceeded(let wacid):
            terminateOrphan(wacid, why: "connect answered after its call was gone")
        default:
            break
        }
    }

    /// A SIP event for a leg no call owns: a 2xx is taken and hung up, an
    /// in-dialog offer gets 481, the rest is ignored.
    func strayLeg(_ leg: SIPLegID, event: SIPLegEvent) {
        let sip = ports.sip
        let context = CallLogContext(callID: CallID("stray"))
        if case .offered = event {
            // A re-INVITE/UPDATE for a call already gone (RFC 3261 §12.2.2).
            let response = SIPResponse(status: 481, phrase: "Call/Transaction Does Not Exist")
            enqueue(CallID("stray:\(leg.rawValue)"), .signalling) {
                await sip.respond(to: leg, with: response, context: context)
            }
            return
        }
        if case .transferRequested = event {
            // A REFER on a dialog whose call is gone (a transferor's leg after a blind transfer).
            enqueue(CallID("stray:\(leg.rawValue)"), .signalling) {
                await sip.notifyTransfer(leg, status: 481, final: true, context: context)
            }
            return
        }
        guard case .answered = event else { return }
        enqueue(CallID("stray:\(leg.rawValue)"), .signalling) {
            await sip.acknowledge(leg, context: context)
            await sip.hangUp(leg, reason: nil, context: context)
        }
    }
}
