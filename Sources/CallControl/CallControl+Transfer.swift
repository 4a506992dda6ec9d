// Transfers in the call table: target look-up (contacts, limits, trunk health),
// the consultation a local Replaces names (it belongs to another call), media's
// new business offer, and the owners `max_calls` counts.

import Config

extension CallControl {
    /// Signalling lane: resolves `lookup` for call `id` and delivers the plan or the refusal.
    func resolveTransfer(_ id: CallID, _ lookup: TransferLookup, caller: String) {
        enqueue(id, .signalling) { await self.deliver(await self.transferEvent(id, lookup, caller: caller), to: id) }
    }

    /// The plan (or refusal) of a transfer look-up.
    func transferEvent(_ id: CallID, _ lookup: TransferLookup, caller: String) async -> CallEvent {
        let resolver = TransferTargetResolver(config: router.config, extensionTrunk: settings.transfer.extensionTrunk)
        let target: InboundTarget
        var requestUser: String?
        var replaces: SIPReplacesTarget?
        switch lookup {
        case .fallback(let fallback, let user):
            target = fallback
            requestUser = user
        case .request(let request):
            if case .leg(let leg) = request.replaces { return consultationTransfer(leg, of: id, caller: caller) }
            if case .remote(let value) = request.replaces { replaces = .value(value) }
            switch resolver.classify(request.target) {
            case .refused(let status, let detail): return .transferRefused(status: status, detail: detail)
            case .target(let resolved, let user):
                target = resolved
                requestUser = user
            }
        }
        var contacts: [String: [String]] = [:]
        for user in resolver.users(in: target) where contacts[user] == nil {
            contacts[user] = await ports.resolver.registeredContacts(ofUser: user)
        }
        let downTrunks = await downTrunkOwners()
        var counts = ownerCounts()
        // The call's own owners move with the transfer: they are not counted against the target.
        for owner in calls[id]?.owners ?? [] { counts[owner, default: 1] -= 1 }
        var plan = resolver.plan(target, requestUser: requestUser, caller: caller, contacts: { contacts[$0] ?? [] },
                                 isAtLimit: { owner in
                                     downTrunks.contains(owner) || counts[owner, default: 0] >= self.limit(ofOwner: owner)
                                 })
        plan.replaces = replaces
        plan.calledNumber = calls[id].flatMap { numberConfig($0.number)?.businessNumber }
        if plan.stages.isEmpty, case .request = lookup {
            return .transferRefused(status: 480, detail: "\(plan.label) has no available contact")
        }
        return .transferResolved(plan)
    }

    /// An attended transfer whose consultation is a WhatsApp call (its far end
    /// is a WhatsApp user): joining two WhatsApp calls is refused (403) as a
    /// blind transfer to a WhatsApp number is; a leg no call owns gets 481
    /// (RFC 3891 §3). Internal consultations: ``consultationTransfer(_:of:caller:)``.
    func consultationRefusal(_ leg: SIPLegID, of id: CallID) -> CallEvent {
        guard let other = byLeg[leg], other != id, calls[other]?.machine.isEnded == false else {
            return .transferRefused(status: 481, detail: "no call owns the replaced dialog")
        }
        return .transferRefused(status: 403, detail: "the consultation is a WhatsApp call; WhatsApp users cannot be joined")
    }

    /// Signalling lane: media's new business offer, delivered back to the call.
    func reofferBusiness(_ id: CallID, context: CallLogContext) {
        let media = ports.media
        enqueue(id, .signalling) {
            do throws(MediaFailure) {
                await self.deliver(.businessOffered(try await media.reofferBusiness(id, context: context)), to: id)
            } catch {
                await self.deliver(.businessOfferFailed(error), to: id)
            }
        }
    }

    /// The owners `max_calls` counts for the call: `owners`, or (nil) those
    /// before the last transfer attempt was placed.
    func setOwners(_ owners: Set<String>?, of id: CallID) {
        guard var entry = calls[id] else { return }
        entry.owners = owners ?? entry.ownersBeforeTransfer ?? entry.owners
        entry.ownersBeforeTransfer = nil
        calls[id] = entry
    }

    /// A transfer leg being placed: its targets count against their `max_calls`
    /// from now on, beside the call's owners until the transfer settles.
    func transferLegPlaced(_ call: OutgoingSIPCall, entry: inout Entry) {
        guard call.leg.rawValue.hasPrefix(entry.machine.id.rawValue + "/xfer") else { return }
        if entry.ownersBeforeTransfer == nil { entry.ownersBeforeTransfer = entry.owners }
        entry.owners.formUnion(call.targets.map(Self.ownerKey(of:)))
    }
}
