// Transfers asked on a call's answered business leg (RFC 5589 semantics: the
// transferee — here wagate, holding the WhatsApp leg — places the new call).
//
// Blind:    request ─▶ NOTIFY 100, look up ─▶ NOTIFY 200, BYE the transferor,
//           ringback to WhatsApp, new offer ─▶ transferred(offering ─▶ ringing ─▶ connected)
// Attended: request ─▶ NOTIFY 100, look up ─▶ new offer ─▶ INVITE with Replaces
//           (the transferor keeps the call) ─▶ answered: NOTIFY 200, BYE the
//           transferor ─▶ transferred(connected); failed: NOTIFY status, nothing else changes.

extension CallStateMachine {
    /// A transfer asked on `leg`: accepted only on the call's answered business
    /// leg (481 otherwise), one at a time (491 while another is in progress),
    /// and refused with 603 when `[transfer] enabled = no`.
    mutating func transferRequested(_ request: TransferRequest, on leg: SIPLegID) -> [CallControlAction] {
        if pendingTransfer != nil || isTransferring {
            return [.notifyTransfer(leg, status: 491, final: true)]
        }
        guard let established = establishedLeg, established == leg, let user = whatsAppUser else {
            return [.notifyTransfer(leg, status: 481, final: true)]
        }
        guard settings.transfer.enabled else { return [.notifyTransfer(leg, status: 603, final: true)] }
        transferCount += 1
        let target = request.target ?? "replaces"
        let record = TransferRecord(seq: transferCount, kind: request.isAttended ? .attended : .blind,
                                    by: request.referredBy, target: target)
        pendingTransfer = PendingTransfer(leg: leg, record: record,
                                          transferor: transferorTarget(referredBy: request.referredBy))
        return [.notifyTransfer(leg, status: 100, final: false), .resolveTransfer(.request(request), caller: user.address)]
    }

    /// True while a transferred call has no connected business side.
    var isTransferring: Bool {
        if case .transferred(_, let phase) = state, case .connected = phase { return false }
        if case .transferred = state { return true }
        return false
    }

    /// The target is known: a blind transfer moves the business side now; an
    /// attended one asks media for the offer its INVITE with Replaces carries.
    mutating func transferResolved(_ plan: TransferPlan) -> [CallControlAction] {
        if case .transferred(let call, .resolving) = state { return fallbackResolved(plan, call: call) }
        guard var pending = pendingTransfer, establishedLeg == pending.leg, let user = whatsAppUser else { return [] }
        pending.record.target = plan.label
        if pending.record.kind == .attended {
            pending.plan = plan
            pendingTransfer = pending
            return [.reofferBusiness]
        }
        pendingTransfer = nil
        let call = TransferredCall(user: user, record: pending.record, plan: plan, transferor: pending.transferor)
        state = .transferred(call, .offering)
        mediaRequested = true
        return [.notifyTransfer(pending.leg, status: 200, final: true), .hangUp(pending.leg, nil),
                .setOwners(plan.owners), .detachBusiness(.ringback), .reofferBusiness,
                .record(.transferred(call.record))]
    }

    /// The target was refused: the transferor keeps the call (or, for a
    /// fallback, the call ends).
    mutating func transferRefused(status: Int, detail: String) -> [CallControlAction] {
        if case .transferred(let call, .resolving) = state {
            return transferFailedForGood(call, status: status, detail: detail)
        }
        guard var pending = pendingTransfer else { return [] }
        pendingTransfer = nil
        pending.record.outcome = .failed
        pending.record.status = status
        return [.notifyTransfer(pending.leg, status: status, final: true), .record(.transferred(pending.record))]
    }

    /// Media's offer for the new business side: ring the target.
    mutating func businessOffered(_ offer: String) -> [CallControlAction] {
        if case .transferred(let call, .offering) = state { return placeTransferStage(0, call: call, offer: offer) }
        guard var pending = pendingTransfer, let plan = pending.plan, pending.newLeg == nil,
              let stage = plan.stages.first, let user = whatsAppUser else { return [] }
        transferLegCount += 1
        let leg = SIPLegID("\(id.rawValue)/xfer\(transferLegCount)")
        pending.newLeg = leg
        pendingTransfer = pending
        let outgoing = transferInvite(leg: leg, stage: stage, plan: plan, user: user, offer: offer,
                                      referredBy: pending.record.by)
        return [.placeCall(outgoing), .record(.transferred(pending.record)),
                arm(.transferRing(attempt: transferLegCount), after: settings.transfer.ringTimeout)]
    }

    /// Media could not offer again: an attended transfer fails (the call stays);
    /// a blind one has no business side left, so the call ends.
    mutating func businessOfferFailed(_ failure: MediaFailure) -> [CallControlAction] {
        if case .transferred = state {
            return end(CallEnding(reason: .mediaFailure, endedBy: .gateway, detail: failure.description),
                       response: nil)
        }
        return attendedFailed(status: FailureMapping.response(for: failure).status, cancel: false)
    }

    /// The INVITE that carries a transfer to `stage` of `plan`.
    func transferInvite(leg: SIPLegID, stage: RingStage, plan: TransferPlan, user: WhatsAppUser, offer: String,
                        referredBy: String?) -> OutgoingSIPCall {
        var outgoing = OutgoingSIPCall(leg: leg, targets: stage.targets, callerNumber: stage.callerNumber,
                                       callerDisplayName: user.sipDisplayName, sdpOffer: offer,
                                       headers: user.sipHeaders, calledNumber: plan.calledNumber)
        outgoing.requestUser = plan.requestUser
        outgoing.replaces = plan.replaces
        outgoing.referredBy = referredBy
        return outgoing
    }

    /// The attended transfer's INVITE answered: the new party takes the call
    /// and the transferor is released (NOTIFY 200, then BYE).
    mutating func attendedAnswered(_ leg: SIPLegID, sdp: String?) -> [CallControlAction] {
        guard var pending = pendingTransfer, pending.newLeg == leg, let plan = pending.plan,
              let user = whatsAppUser else { return [] }
        pendingTransfer = nil
        pending.record.outcome = .answered
        pending.record.answeredBy = plan.label
        let call = TransferredCall(user: user, record: pending.record, plan: plan, transferor: pending.transferor)
        var actions = disarm(.transferRing(attempt: transferLegCount))
        actions += [.notifyTransfer(pending.leg, status: 200, final: true), .hangUp(pending.leg, nil)]
        state = .transferred(call, .connected(leg: leg))
        return actions + connectTransferLeg(leg, sdp: sdp, call: call)
    }

    /// The attended transfer failed with `status`: NOTIFY it, and the call stays
    /// with the transferor (whose phone resumes it), as Asterisk does.
    mutating func attendedFailed(status: Int, cancel: Bool) -> [CallControlAction] {
        guard var pending = pendingTransfer else { return [] }
        pendingTransfer = nil
        pending.record.outcome = .failed
        pending.record.status = status
        var actions = disarm(.transferRing(attempt: transferLegCount))
        if cancel, let leg = pending.newLeg { actions.append(.cancel(leg, nil)) }
        return actions + [.notifyTransfer(pending.leg, status: status, final: true), .setOwners(nil),
                          .record(.transferred(pending.record))]
    }

    /// Ending a call while an attended transfer rings: its INVITE is cancelled
    /// and its row says it failed.
    mutating func endPendingTransfer() -> [CallControlAction] {
        guard var pending = pendingTransfer else { return [] }
        pendingTransfer = nil
        pending.record.outcome = .failed
        pending.record.status = 487
        let cancel: [CallControlAction] = pending.newLeg.map { [.cancel($0, nil)] } ?? []
        return cancel + [.record(.transferred(pending.record))]
    }
}
