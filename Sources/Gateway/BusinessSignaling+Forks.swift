import CallControl
import WebAgents

/// One leg of call control rung as sub-legs of different kinds: the phones' SIP
/// sub-leg (whose own forks `StackSIPSignaling` decides) and one per browser.
struct CompositeLeg: Sendable {
    /// The sub-legs and their winner.
    var outcome: ForkOutcome<SIPLegID>
    /// The call's log ids.
    var context: CallLogContext
    /// True once call control got the winner's answer (a browser claims the win
    /// first, then reports its answer once its media is attached).
    var answerReported = false
}

extension BusinessSignaling {
    /// Rings `call`'s phones as one SIP sub-leg and each browser as its own sub-leg.
    func placeAcrossKinds(_ call: OutgoingSIPCall, browsers: [SIPTarget], agents: AgentSignaling,
                          context: CallLogContext) async {
        let phones = call.targets.filter { !$0.isAgent }
        let phoneLeg = phones.isEmpty ? nil : SIPLegID(call.leg.rawValue + "~sip")
        let browserLegs = browsers.indices.map { SIPLegID(call.leg.rawValue + Self.agentForkMarker + "\($0 + 1)") }
        let subs = (phoneLeg.map { [$0] } ?? []) + browserLegs
        composite[call.leg] = CompositeLeg(outcome: ForkOutcome(forks: subs), context: context)
        for sub in subs { parent[sub] = call.leg }
        logger.info("ringing phones and browsers", metadata: context.metadata.merging(
            ["phones": "\(phones.count)", "browsers": "\(browsers.count)"]) { $1 })
        if let phoneLeg {
            var sipCall = call
            sipCall.leg = phoneLeg
            sipCall.targets = phones
            await sip.placeCall(sipCall, context: context)
        }
        for (sub, target) in zip(browserLegs, browsers) {
            await agents.ring(sub, target: target, call: call, context: context)
        }
    }

    /// An event of sub-leg `sub` of call control's leg `leg`: one answer or one
    /// failure across kinds, progress while nobody answered, and the winner's
    /// dialog events after.
    func subLegEvent(_ event: SIPLegEvent, on sub: SIPLegID, of leg: SIPLegID) async {
        guard var state = composite[leg] else { return }
        switch event {
        case .progress:
            guard state.outcome.winner == nil else { return }
            await sink?.handleSIP(event, on: leg)
        case .answered:
            switch state.outcome.answered(sub) {
            case .won(let losers):
                state.answerReported = true
                composite[leg] = state
                for loser in losers { await cancelSubLeg(loser, reason: .answeredElsewhere, context: state.context) }
                await sink?.handleSIP(event, on: leg)
            case .late:
                await hangUpLateSubLeg(sub, context: state.context)
            case .repeated:
                guard !state.answerReported else { return }
                state.answerReported = true
                composite[leg] = state
                await sink?.handleSIP(event, on: leg)
            }
        case .failed(let status, let reason):
            if state.outcome.winner == sub {
                forget(leg)
                await sink?.handleSIP(event, on: leg)
                return
            }
            let failure = state.outcome.failed(sub, status: status, phrase: reason)
            composite[leg] = state
            if let failure {
                forget(leg)
                await sink?.handleSIP(.failed(status: failure.status, reason: failure.phrase), on: leg)
            }
        case .bye:
            guard state.outcome.winner == sub else { return }
            forget(leg)
            await sink?.handleSIP(event, on: leg)
        default:
            if state.outcome.winner == sub { await sink?.handleSIP(event, on: leg) }
        }
    }

    /// A browser fork about to answer claims the win before its media is attached, so
    /// that a phone answering meanwhile loses (CANCEL now, BYE for a late 2xx) and the
    /// bridge never gets two business sides. False when another fork already won.
    func claim(_ sub: SIPLegID) async -> Bool {
        guard let leg = parent[sub], var state = composite[leg] else { return false }
        switch state.outcome.answered(sub) {
        case .won(let losers):
            composite[leg] = state
            for loser in losers { await cancelSubLeg(loser, reason: .answeredElsewhere, context: state.context) }
            return true
        case .repeated:
            return true
        case .late:
            return false
        }
    }

    /// Stops a sub-leg that lost or that call control cancelled: CANCEL to phones,
    /// `cancelled {reason}` to a browser.
    func cancelSubLeg(_ sub: SIPLegID, reason: AgentCancelReason, context: CallLogContext) async {
        if Self.isAgentLeg(sub) {
            await agents?.cancel(sub, reason: reason, context: context)
        } else {
            await sip.cancel(sub, reason: nil, context: context)
        }
    }

    /// A sub-leg that answered after the winner: its dialog is not wanted.
    private func hangUpLateSubLeg(_ sub: SIPLegID, context: CallLogContext) async {
        if Self.isAgentLeg(sub) {
            await agents?.cancel(sub, reason: .answeredElsewhere, context: context)
        } else {
            await sip.acknowledge(sub, context: context)
            await sip.hangUp(sub, reason: nil, context: context)
        }
    }

    /// Drops the bookkeeping of a composite leg that is over.
    func forget(_ leg: SIPLegID) {
        guard let state = composite.removeValue(forKey: leg) else { return }
        for sub in state.outcome.forks { parent[sub] = nil }
    }
}
