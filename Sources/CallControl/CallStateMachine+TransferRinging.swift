// A transferred call's new business side: the target's stages ring on
// `<id>/xfer<n>` legs, the first 2xx is bridged to the WhatsApp user, and a
// target that fails or rings past `[transfer] ring_timeout` gives way to the
// fallback (`return` rings the transferor again); after the fallback fails
// too, the call ends.

extension CallStateMachine {
    /// Rings stage `index` of the transferred call's plan with `offer`.
    mutating func placeTransferStage(_ index: Int, call: TransferredCall, offer: String) -> [CallControlAction] {
        guard index < call.plan.stages.count else {
            return transferFailedForGood(call, status: 480, detail: "nowhere to ring \(call.plan.label)")
        }
        let stage = call.plan.stages[index]
        transferLegCount += 1
        let leg = SIPLegID("\(id.rawValue)/xfer\(transferLegCount)")
        state = .transferred(call, .ringing(leg: leg, stage: index, offer: offer))
        let outgoing = transferInvite(leg: leg, stage: stage, plan: call.plan, user: call.user, offer: offer,
                                      referredBy: call.fallingBack ? nil : call.record.by)
        let timeout = min(stage.timeout ?? settings.transfer.ringTimeout, settings.transfer.ringTimeout)
        return [.placeCall(outgoing), arm(.transferRing(attempt: transferLegCount), after: timeout)]
    }

    /// Events on a transfer leg: answers, progress and failures of the INVITE
    /// drive the transfer; in-dialog events of a connected leg go the usual way.
    mutating func transferLegEvent(_ event: SIPLegEvent, on leg: SIPLegID) -> [CallControlAction]? {
        if let pending = pendingTransfer, pending.newLeg == leg {
            switch event {
            case .answered(let sdp, _, _): return attendedAnswered(leg, sdp: sdp)
            case .failed(let status, _): return attendedFailed(status: status, cancel: false)
            case .progress(let status, _) where status == 180 && settings.transfer.notifyProgress:
                return [.notifyTransfer(pending.leg, status: 180, final: false)]
            default: return []
            }
        }
        guard case .transferred(let call, .ringing(let current, let stage, let offer)) = state, current == leg else {
            switch event {
            case .answered where establishedLeg != leg:
                return [.acknowledge(leg), .hangUp(leg, nil)]
            case .failed(let status, let reason) where establishedLeg == leg:
                let ending = CallEnding(reason: .sipError, endedBy: .sip, sipStatus: status, detail: reason)
                return end(ending, response: nil, sipDone: true)
            default:
                return nil
            }
        }
        switch event {
        case .answered(let sdp, _, _):
            return transferAnswered(leg, sdp: sdp, call: call)
        case .failed(let status, _):
            return transferStageFailed(call, stage: stage, offer: offer, status: status, legFailed: true)
        default:
            return []
        }
    }

    /// The target answered: bridge it to the WhatsApp user.
    mutating func transferAnswered(_ leg: SIPLegID, sdp: String?, call: TransferredCall) -> [CallControlAction] {
        var call = call
        call.record.outcome = !call.fallingBack ? .answered
            : (settings.transfer.fallback == .returnToTransferor ? .returned : .fallback)
        call.record.answeredBy = call.plan.label
        state = .transferred(call, .connected(leg: leg))
        return disarm(.transferRing(attempt: transferLegCount)) + connectTransferLeg(leg, sdp: sdp, call: call)
    }

    /// Joins an answered transfer leg: its answer to our offer, ACK, bridge, owners, CDR.
    func connectTransferLeg(_ leg: SIPLegID, sdp: String?, call: TransferredCall) -> [CallControlAction] {
        var actions: [CallControlAction] = []
        if let sdp { actions.append(.setSIPRemote(sdp)) }
        return actions + [.acknowledge(leg), .startBridging, .setOwners(call.plan.owners),
                          .record(.transferred(call.record))]
    }

    /// A stage failed (`legFailed`) or rang too long: the next stage, else the fallback.
    mutating func transferStageFailed(_ call: TransferredCall, stage: Int, offer: String, status: Int,
                                      legFailed: Bool) -> [CallControlAction] {
        var actions = disarm(.transferRing(attempt: transferLegCount))
        if case .ringing(let leg, _, _) = transferPhase, !legFailed { actions.append(.cancel(leg, nil)) }
        if stage + 1 < call.plan.stages.count {
            return actions + placeTransferStage(stage + 1, call: call, offer: offer)
        }
        return actions + fallBack(call, status: status)
    }

    /// The transfer target did not answer: `[transfer] fallback` decides.
    mutating func fallBack(_ call: TransferredCall, status: Int) -> [CallControlAction] {
        let detail = "transfer to \(call.plan.label) not answered"
        guard !call.fallingBack, let user = whatsAppUser else {
            return transferFailedForGood(call, status: status, detail: detail)
        }
        let lookup: TransferLookup
        switch settings.transfer.fallback {
        case .none:
            return transferFailedForGood(call, status: status, detail: detail)
        case .target(let target):
            lookup = .fallback(target, requestUser: nil)
        case .returnToTransferor:
            guard let transferor = call.transferor else {
                return transferFailedForGood(call, status: status, detail: detail)
            }
            lookup = .fallback(transferor.target, requestUser: transferor.requestUser)
        }
        var next = call
        next.fallingBack = true
        state = .transferred(next, .resolving)
        return [.resolveTransfer(lookup, caller: user.address)]
    }

    /// The fallback's plan: offer again and ring it, or end the call when it has nowhere to ring.
    mutating func fallbackResolved(_ plan: TransferPlan, call: TransferredCall) -> [CallControlAction] {
        guard !plan.stages.isEmpty else {
            return transferFailedForGood(call, status: 480, detail: "fallback \(plan.label) unavailable")
        }
        var next = call
        next.plan = plan
        state = .transferred(next, .offering)
        return [.setOwners(plan.owners), .reofferBusiness]
    }

    /// Nobody took the transferred call: the CDR row fails and the call ends
    /// (terminate to Meta, CDR reason `no_answer`).
    mutating func transferFailedForGood(_ call: TransferredCall, status: Int, detail: String) -> [CallControlAction] {
        var record = call.record
        record.outcome = .failed
        record.status = status
        var failed = call
        failed.record = record
        state = .transferred(failed, transferPhase ?? .resolving)
        let ending = CallEnding(reason: .noAnswer, endedBy: .gateway, sipStatus: status,
                                detail: "transfer failed: \(detail)")
        return [.record(.transferred(record))] + end(ending, response: nil)
    }

    /// The transferred call's phase, if it is one.
    var transferPhase: TransferPhase? {
        if case .transferred(_, let phase) = state { return phase }
        return nil
    }

    /// `[transfer] ring_timeout` of the ringing stage.
    mutating func transferTimerFired(_ attempt: Int) -> [CallControlAction] {
        if let pending = pendingTransfer, pending.newLeg == SIPLegID("\(id.rawValue)/xfer\(attempt)") {
            return attendedFailed(status: 408, cancel: true)
        }
        guard case .transferred(let call, .ringing(_, let stage, let offer)) = state,
              attempt == transferLegCount else { return [] }
        return transferStageFailed(call, stage: stage, offer: offer, status: 408, legFailed: false)
    }

    /// Ends a transferred call's business side: CANCEL while it rings, BYE once connected.
    func endTransferredSIP(_ phase: TransferPhase) -> [CallControlAction] {
        switch phase {
        case .resolving, .offering: []
        case .ringing(let leg, _, _): [.cancel(leg, nil)]
        case .connected(let leg): [.hangUp(leg, nil)]
        }
    }

    /// The CDR row of a transfer that the call's end interrupted.
    func interruptedTransfer(_ call: TransferredCall) -> [CallControlAction] {
        guard call.record.outcome == .pending else { return [] }
        var record = call.record
        record.outcome = .failed
        record.status = 487
        return [.record(.transferred(record))]
    }
}
