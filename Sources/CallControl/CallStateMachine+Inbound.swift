// Inbound calls (WhatsApp → SIP, user-initiated): ring the plan's stages, first
// 180/183 → pre_accept + ICE/DTLS, 200 → accept → ACK → bridge.

extension CallStateMachine {
    /// Records the call and opens media, or rejects at once when there is nowhere to ring.
    mutating func startInbound(_ call: InboundCall) -> [CallControlAction] {
        let start = CallStart(direction: .inbound, from: call.caller.address, to: call.plan.targetName, wacid: call.wacid,
                              user: call.caller)
        var actions: [CallControlAction] = [.record(.started(start))]
        guard !call.plan.stages.isEmpty else {
            let ending = CallEnding(reason: .noRoute, endedBy: .gateway,
                                    detail: "nowhere to ring \(call.plan.targetName)")
            return actions + end(ending, response: nil)
        }
        guard let offer = call.offer else {
            let ending = CallEnding(reason: .whatsAppError, endedBy: .whatsApp, detail: "connect without SDP offer")
            return actions + end(ending, response: nil)
        }
        mediaRequested = true
        actions.append(arm(.ringTimeout, after: settings.ringTimeout))
        // A browser may answer: Meta's leg then takes Opus whatever Meta's order, so a
        // browser that wins is bridged by pass-through (a phone transcodes as on any Opus leg).
        let browsers = call.plan.stages.contains { $0.targets.contains(where: \.isAgent) }
        actions.append(.openInboundMedia(whatsAppOffer: offer, webRTCTargets: browsers))
        return actions
    }

    /// Media ready: ring the first stage.
    mutating func inboundMediaOpened(_ session: InboundMediaSession) -> [CallControlAction] {
        guard case .inbound(let call, .openingMedia) = state else { return isEnded ? [.closeMedia] : [] }
        return placeStage(0, call: call, session: session)
    }

    /// Rings stage `index` of the plan.
    mutating func placeStage(_ index: Int, call: InboundCall, session: InboundMediaSession,
                             preAccepted: Bool = false) -> [CallControlAction] {
        let stage = call.plan.stages[index]
        let leg = SIPLegID("\(id.rawValue)/leg\(index + 1)")
        var ringing = InboundRinging(session: session, stage: index, leg: leg)
        ringing.preAccepted = preAccepted
        state = .inbound(call, .ringing(ringing))
        var outgoing = OutgoingSIPCall(leg: leg, targets: stage.targets, callerNumber: stage.callerNumber,
                                       callerDisplayName: call.caller.sipDisplayName, sdpOffer: session.sipOffer,
                                       headers: call.caller.sipHeaders, calledNumber: call.plan.calledNumber)
        outgoing.caller = call.caller
        outgoing.calledNumberName = call.plan.calledNumberName
        outgoing.context = call.context
        var actions: [CallControlAction] = [.placeCall(outgoing)]
        if let timeout = stage.timeout { actions.append(arm(.memberTimeout(stage: index), after: timeout)) }
        return actions
    }

    /// Moves to the next stage (cancelling the current leg unless it already
    /// failed), or ends the call when there is none.
    mutating func nextStage(after ringing: InboundRinging, call: InboundCall, ending: CallEnding,
                            legFailed: Bool) -> [CallControlAction] {
        var actions = disarm(.memberTimeout(stage: ringing.stage))
        guard ringing.stage + 1 < call.plan.stages.count else {
            return actions + end(ending, response: nil, sipDone: legFailed)
        }
        if !legFailed { actions.append(.cancel(ringing.leg, nil)) }
        return actions + placeStage(ringing.stage + 1, call: call, session: ringing.session,
                                    preAccepted: ringing.preAccepted)
    }

    /// The first 180/183 of the current leg: pre_accept and start ICE/DTLS.
    mutating func sipProgress(_ leg: SIPLegID, status: Int) -> [CallControlAction] {
        guard case .inbound(let call, .ringing(var ringing)) = state, ringing.leg == leg, status != 100,
              !ringing.preAccepted else { return [] }
        ringing.preAccepted = true
        state = .inbound(call, .ringing(ringing))
        return [.preAccept(call.wacid, answer: ringing.session.whatsAppAnswer), .startWhatsAppMedia(remoteAnswer: nil),
                .record(.ringing)]
    }

    /// A 2xx: accept the WhatsApp call (the SIP ACK follows the accept).
    /// Only the leg being rung can be answered: a repeated answer on the leg
    /// already answered changes nothing (responses inside the dialog, such as
    /// those to a session refresh, are not answers), and a stage given up on
    /// that answers anyway is taken and hung up. The party whose fork answered is
    /// recorded (`answered_by`), so a ring-group member's history lists the call.
    mutating func sipAnswered(_ leg: SIPLegID, sdp: String?, sipCallID: String?, by: SIPOrigin?) -> [CallControlAction] {
        guard case .inbound(let call, .ringing(let ringing)) = state, ringing.leg == leg else {
            if answeredLeg == leg { return [] }
            return isOwnOutgoingLeg(leg) ? [.acknowledge(leg), .hangUp(leg, nil)] : []
        }
        state = .inbound(call, .accepting(leg: leg, session: ringing.session))
        var actions = disarm(.ringTimeout) + disarm(.memberTimeout(stage: ringing.stage))
        if let sipCallID {
            context.sipCallID = sipCallID
            actions.append(.record(.linkedSIP(sipCallID: sipCallID)))
        }
        if let by { actions.append(.record(.answeredBy(by))) }
        if let sdp { actions.append(.setSIPRemote(sdp)) }
        if !ringing.preAccepted { actions.append(.startWhatsAppMedia(remoteAnswer: nil)) }
        actions.append(.accept(call.wacid, answer: ringing.session.whatsAppAnswer))
        return actions
    }

    /// The inbound call's answered leg, while it is being accepted or is connected.
    var answeredLeg: SIPLegID? {
        switch state {
        case .inbound(_, .accepting(let leg, _)), .inbound(_, .connected(let leg, _)): leg
        default: nil
        }
    }

    /// True for the ids of outgoing legs this call placed.
    func isOwnOutgoingLeg(_ leg: SIPLegID) -> Bool {
        isTransferLeg(leg)
            || (direction != .outbound && direction != .echo && leg.rawValue.hasPrefix(id.rawValue + "/leg"))
    }

    /// The result of a Graph operation; only a failed or successful accept changes the call.
    mutating func whatsAppResult(_ operation: WhatsAppOperation, _ failure: WhatsAppFailure?) -> [CallControlAction] {
        guard operation == .accept, case .inbound(let call, .accepting(let leg, let session)) = state else { return [] }
        guard let failure else {
            state = .inbound(call, .connected(leg: leg, session: session))
            return [.acknowledge(leg), .startBridging, .record(.answered)]
        }
        let ending = CallEnding(reason: .whatsAppError, endedBy: .whatsApp, whatsAppCode: failure.graphCode,
                                detail: "accept failed: \(failure)", fbtraceID: failure.fbtraceID)
        return end(ending, response: nil)
    }

    /// A final failure of an inbound call's leg: next stage, or reject.
    mutating func inboundSIPFailed(_ leg: SIPLegID, status: Int, reason: String?) -> [CallControlAction] {
        switch state {
        case .inbound(let call, .ringing(let ringing)) where ringing.leg == leg:
            let ending = CallEnding(reason: FailureMapping.endReason(forSIPFailure: status), endedBy: .sip,
                                    sipStatus: status, detail: reason)
            return nextStage(after: ringing, call: call, ending: ending, legFailed: true)
        case .inbound(_, .accepting(let current, _)) where current == leg,
             .inbound(_, .connected(let current, _)) where current == leg:
            let ending = CallEnding(reason: .sipError, endedBy: .sip, sipStatus: status, detail: reason)
            return end(ending, response: nil, sipDone: true)
        default:
            return []
        }
    }

    /// Ring and member timeouts of inbound calls.
    mutating func inboundTimerFired(_ timer: CallTimer) -> [CallControlAction] {
        switch (timer, state) {
        case (.ringTimeout, .inbound(_, .ringing)), (.ringTimeout, .inbound(_, .openingMedia)):
            let ending = CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "ring timeout")
            return end(ending, response: nil)
        case (.memberTimeout(let stage), .inbound(let call, .ringing(let ringing))) where ringing.stage == stage:
            let ending = CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "no member answered")
            return nextStage(after: ringing, call: call, ending: ending, legFailed: false)
        default:
            return []
        }
    }
}
