// The SIP events of an internal call: the callee's progress and answer reach
// the caller, hang-ups go both ways, in-dialog offers are answered where the
// media is.

extension CallStateMachine {
    /// One SIP event on the caller's leg or the callee's.
    mutating func internalSIP(_ event: SIPLegEvent, on leg: SIPLegID, call: InternalCall,
                              phase: InternalPhase) -> [CallControlAction] {
        switch event {
        case .progress(let status, _):
            guard status >= 180, case .ringing(let media, let stage, let current, false) = phase, current == leg else { return [] }
            state = .internalCall(call, .ringing(media: media, stage: stage, leg: leg, alerted: true))
            return [.respond(call.invite.leg, SIPResponse(status: 180, sdp: media.callerAnswer)), .record(.ringing)]
        case .answered(let sdp, let sipCallID, let by):
            return internalAnswered(leg, sdp: sdp, sipCallID: sipCallID, by: by, call: call, phase: phase)
        case .failed(let status, let reason):
            return internalFailed(leg, status: status, reason: reason, call: call, phase: phase)
        case .cancelled:
            guard leg == call.invite.leg, internalCalleeLeg == nil else { return [] }
            return end(CallEnding(reason: .cancelled, endedBy: .sip, sipStatus: 487),
                       response: SIPResponse(status: 487, phrase: "Request Terminated"))
        case .bye:
            guard let callee = internalCalleeLeg, leg == callee || leg == call.invite.leg else { return [] }
            let other = leg == callee ? call.invite.leg : callee
            return [.hangUp(other, nil)] + end(CallEnding(reason: .normal, endedBy: .sip), response: nil, sipDone: true)
        case .offered(let sdp):
            return internalOffered(sdp, on: leg, call: call, phase: phase)
        case .dtmf(let digit):
            guard case .connected(let media, let callee, _) = phase else { return [] }
            if leg == callee { return [media.anchored ? .sendMediaDTMF(digit, toward: .whatsApp) : .sendSIPDTMF(digit, call.invite.leg)] }
            return leg == call.invite.leg ? [.sendSIPDTMF(digit, callee)] : []
        case .transferRequested:
            return [.notifyTransfer(leg, status: 603, final: true)]
        case .acknowledged, .mediaState:
            return []
        }
    }

    /// The callee answered: the caller gets 200 (wagate's answer when media is
    /// anchored, the callee's own SDP when direct) and the bridge joins both.
    private mutating func internalAnswered(_ leg: SIPLegID, sdp: String?, sipCallID: String?, by: SIPOrigin?,
                                           call: InternalCall, phase: InternalPhase) -> [CallControlAction] {
        guard case .ringing(let media, let stage, let current, _) = phase, current == leg else {
            if internalCalleeLeg == leg { return [] }
            return isOwnOutgoingLeg(leg) ? [.acknowledge(leg), .hangUp(leg, nil)] : []
        }
        var actions = disarm(.ringTimeout) + disarm(.memberTimeout(stage: stage))
        if let sipCallID { actions.append(.record(.linkedSIP(sipCallID: sipCallID))) }
        if let by { actions.append(.record(.answeredBy(by))) }
        guard media.anchored || sdp != nil else {
            state = .internalCall(call, .connected(media: media, leg: leg, calleeSDP: nil))
            let ending = CallEnding(reason: .sipError, endedBy: .sip, sipStatus: 502, detail: "the callee's answer has no SDP")
            return actions + [.acknowledge(leg), .hangUp(leg, nil), .respond(call.invite.leg, SIPResponse(status: 502))]
                + end(ending, response: nil, sipDone: true)
        }
        state = .internalCall(call, .connected(media: media, leg: leg, calleeSDP: sdp))
        if let answer = media.callerAnswer {
            if let sdp { actions.append(.setSIPRemote(sdp)) }
            return actions + [.acknowledge(leg), .respond(call.invite.leg, SIPResponse(status: 200, sdp: answer)),
                              .startBridging, .record(.answered)]
        }
        return actions + [.acknowledge(leg), .respond(call.invite.leg, SIPResponse(status: 200, sdp: sdp)),
                          .record(.answered)]
    }

    /// A final failure: the callee's stage → the next stage, or its status to the
    /// caller; an established leg failing ends both.
    private mutating func internalFailed(_ leg: SIPLegID, status: Int, reason: String?, call: InternalCall,
                                         phase: InternalPhase) -> [CallControlAction] {
        let ending = CallEnding(reason: FailureMapping.endReason(forSIPFailure: status), endedBy: .sip,
                                sipStatus: status, detail: reason)
        switch phase {
        case .ringing(let media, let stage, let current, _) where current == leg:
            let actions = disarm(.memberTimeout(stage: stage))
            if stage + 1 < call.plan.stages.count { return actions + placeInternalStage(stage + 1, call: call, media: media) }
            let relayed = Self.relayedStatus(status)
            return actions + [.respond(call.invite.leg, SIPResponse(status: relayed))] + end(ending, response: nil, sipDone: true)
        case .ringing(_, _, let current, _) where leg == call.invite.leg:
            return [.cancel(current, nil)] + end(ending, response: nil, sipDone: true)
        case .connected(_, let callee, _) where leg == callee || leg == call.invite.leg:
            return [.hangUp(leg == callee ? call.invite.leg : callee, nil)] + end(ending, response: nil, sipDone: true)
        default:
            return []
        }
    }

    /// The status a callee's final failure reaches the caller with: as it is,
    /// except 487 (our own CANCEL) and non-failures (480), and a 401/407: the
    /// challenge was for wagate's credentials, not the caller's, so relaying it
    /// would make the phone authenticate to the wrong realm; it gets 403, as a
    /// B2BUA such as Asterisk or FreeSWITCH answers a callee's refused credentials.
    static func relayedStatus(_ status: Int) -> Int {
        switch status {
        case 401, 407: 403
        case 487: 480
        case 400..<700: status
        default: 480
        }
    }

    /// A re-INVITE/UPDATE. Anchored: the callee's is answered by the bridge's SIP
    /// side. Direct: answered locally with the other party's last SDP, its
    /// direction mirrored (`sendonly` → `recvonly`), without re-INVITEing the other
    /// party: a consultation put on hold simply stops sending.
    private func internalOffered(_ sdp: String?, on leg: SIPLegID, call: InternalCall,
                                 phase: InternalPhase) -> [CallControlAction] {
        guard case .connected(let media, let callee, let calleeSDP) = phase, leg == callee || leg == call.invite.leg else {
            return [.respondInDialog(leg, SIPResponse(status: 491, phrase: "Request Pending"))]
        }
        if media.anchored {
            guard leg == callee else { return [.respondInDialog(leg, SIPResponse(status: 488, phrase: "Not Acceptable Here"))] }
            return [.answerOffer(leg, offer: sdp)]
        }
        guard let other = leg == callee ? call.invite.sdpOffer : calleeSDP else {
            return [.respondInDialog(leg, SIPResponse(status: 488, phrase: "Not Acceptable Here"))]
        }
        return [.respondInDialog(leg, SIPResponse(status: 200, sdp: InternalSDP.mirroring(other, offer: sdp)))]
    }
}
