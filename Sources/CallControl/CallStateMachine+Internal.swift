// Internal calls: a user (phone or browser) dials another user or a ring group
// by name, as on a PBX; the consultation call of an attended transfer. No
// WhatsApp leg and no Graph request.
//
//   openingMedia ─▶ ringing(stage n) ─▶ connected ─▶ ended
//
// The caller's INVITE is answered (180, 200) as the plan's forks answer; BYE and
// CANCEL go both ways. Media: a bridge when a browser is on either side, else
// direct media (the caller's SDP relayed; see ``InternalMediaSession``).

extension CallStateMachine {
    /// What an internal call is, whatever its phase.
    struct InternalCall: Sendable {
        /// The caller's INVITE (a phone's, or a browser's `dial`).
        var invite: IncomingInvite
        /// Where it rings (the plan of `user:NAME` or `group:NAME`).
        var plan: RingPlan
        /// The caller's user name (the caller id the forks see).
        var caller: String
    }

    /// The phases of an internal call.
    enum InternalPhase: Sendable {
        /// Waiting for media's answer.
        case openingMedia
        /// The plan's stage rings on `leg`.
        case ringing(media: InternalMediaSession, stage: Int, leg: SIPLegID, alerted: Bool)
        /// Both sides answered; `leg` is the callee's dialog, `calleeSDP` its answer (direct media).
        case connected(media: InternalMediaSession, leg: SIPLegID, calleeSDP: String?)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .openingMedia: "opening_media"
            case .ringing: "ringing"
            case .connected: "connected"
            }
        }
    }

    /// Creates the machine of an internal call from `caller` for an INVITE ringing `plan`.
    public init(id: CallID, internal invite: IncomingInvite, caller: String, plan: RingPlan, settings: CallSettings) {
        self.id = id
        self.direction = .internal
        self.settings = settings
        self.context = CallLogContext(callID: id, sipCallID: invite.sipCallID)
        self.state = .internalCall(InternalCall(invite: invite, plan: plan, caller: caller), .openingMedia)
    }

    /// Records the call and asks media for the forks' offer, or refuses (480) when nobody can ring.
    mutating func startInternal(_ call: InternalCall) -> [CallControlAction] {
        let start = CallStart(direction: .internal, from: call.invite.origin.description, to: call.plan.targetName,
                              sipCallID: call.invite.sipCallID, sipFromUser: call.invite.fromUser)
        let actions: [CallControlAction] = [.record(.started(start))]
        guard !call.plan.stages.isEmpty else {
            let ending = CallEnding(reason: .noRoute, endedBy: .gateway, detail: "nowhere to ring \(call.plan.targetName)")
            let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable",
                                       reason: FailureMapping.sipReason(480, "\(call.plan.targetName) is not available"))
            return actions + end(ending, response: response)
        }
        mediaRequested = true
        let browsers = call.plan.stages.contains { $0.targets.contains(where: \.isAgent) }
        return actions + [arm(.ringTimeout, after: settings.ringTimeout),
                          .openInternalMedia(callerOffer: call.invite.sdpOffer, browserTargets: browsers)]
    }

    /// The internal call's events, one handler each.
    mutating func internalEvent(_ event: CallEvent) -> [CallControlAction] {
        guard case .internalCall(let call, let phase) = state else { return [] }
        switch event {
        case .internalMediaOpened(let media):
            guard case .openingMedia = phase else { return [] }
            return placeInternalStage(0, call: call, media: media)
        case .mediaOpenFailed(let failure):
            let ending = CallEnding(reason: .mediaFailure, endedBy: .gateway, detail: failure.description)
            return end(ending, response: FailureMapping.response(for: failure))
        case .sip(let leg, let sipEvent):
            return internalSIP(sipEvent, on: leg, call: call, phase: phase)
        case .media(.failed(let detail)):
            return internalMediaFailed(detail)
        case .media(.rtpTimeout(let side)):
            return internalMediaFailed("no RTP from \(side.rawValue)")
        case .timer(let timer):
            return internalTimer(timer, call: call, phase: phase)
        case .shutdown:
            return shutdown()
        case .hangUp:
            return operatorHangUp()
        default:
            return []
        }
    }

    /// The bridge failed (a browser's ICE/DTLS, RTP timeout): 503 before the answer, BYE after.
    private mutating func internalMediaFailed(_ detail: String) -> [CallControlAction] {
        end(CallEnding(reason: .mediaFailure, endedBy: .gateway, detail: detail),
            response: SIPResponse(status: 503, phrase: "Service Unavailable"))
    }

    /// Rings stage `index` of the plan with media's offer; the caller id is the calling user.
    mutating func placeInternalStage(_ index: Int, call: InternalCall, media: InternalMediaSession) -> [CallControlAction] {
        let stage = call.plan.stages[index]
        let leg = SIPLegID("\(id.rawValue)/leg\(index + 1)")
        state = .internalCall(call, .ringing(media: media, stage: index, leg: leg, alerted: false))
        let outgoing = OutgoingSIPCall(leg: leg, targets: stage.targets, callerNumber: call.caller,
                                       callerDisplayName: call.caller, sdpOffer: media.forkOffer, headers: [])
        var actions: [CallControlAction] = [.placeCall(outgoing)]
        if let timeout = stage.timeout { actions.append(arm(.memberTimeout(stage: index), after: timeout)) }
        return actions
    }

    /// Ring and member timeouts: the next stage, or 480 to the caller.
    private mutating func internalTimer(_ timer: CallTimer, call: InternalCall, phase: InternalPhase) -> [CallControlAction] {
        guard armedTimers.remove(timer) != nil else { return [] }
        let ending = CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "no answer")
        let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable",
                                   reason: FailureMapping.sipReason(480, "No answer"))
        switch (timer, phase) {
        case (.ringTimeout, .openingMedia), (.ringTimeout, .ringing):
            return end(ending, response: response)
        case (.memberTimeout(let stage), .ringing(let media, let current, let leg, _)) where stage == current:
            guard current + 1 < call.plan.stages.count else { return end(ending, response: response) }
            return [.cancel(leg, nil)] + placeInternalStage(current + 1, call: call, media: media)
        default:
            return []
        }
    }

    /// The SIP side of ending an internal call: a final response or BYE to the
    /// caller, CANCEL or BYE to the callee.
    func endInternalSIP(_ call: InternalCall, _ phase: InternalPhase, response: SIPResponse?) -> [CallControlAction] {
        switch phase {
        case .openingMedia:
            return [.respond(call.invite.leg, response ?? SIPResponse(status: 500))]
        case .ringing(_, _, let leg, _):
            return [.respond(call.invite.leg, response ?? SIPResponse(status: 480)), .cancel(leg, nil)]
        case .connected(_, let leg, _):
            return [.hangUp(call.invite.leg, response?.reason), .hangUp(leg, nil)]
        }
    }

    /// The callee's established dialog of an internal call, if connected.
    var internalCalleeLeg: SIPLegID? {
        if case .internalCall(_, .connected(_, let leg, _)) = state { return leg }
        return nil
    }
}

extension CallStateMachine {
    /// The targets the internal call's `leg` rang (its plan stage), if it is one of its legs.
    public func internalTargets(of leg: SIPLegID) -> [SIPTarget]? {
        guard case .internalCall(let call, _) = state else { return nil }
        let prefix = id.rawValue + "/leg"
        guard leg.rawValue.hasPrefix(prefix), let index = Int(leg.rawValue.dropFirst(prefix.count)),
              call.plan.stages.indices.contains(index - 1) else { return nil }
        return call.plan.stages[index - 1].targets
    }
}
