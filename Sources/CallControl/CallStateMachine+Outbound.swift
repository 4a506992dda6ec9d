// Outbound calls (SIP → WhatsApp, business-initiated): permission, media,
// connect, and the SIP 200 only once ACCEPTED, the answer SDP and ICE/DTLS are all in.

extension CallStateMachine {
    /// Records the call, arms the answer guard and asks for the permission.
    mutating func startOutbound(_ call: OutboundCall) -> [CallControlAction] {
        let start = CallStart(direction: .outbound, from: call.invite.origin.description, to: call.user.address,
                              sipCallID: call.invite.sipCallID, user: call.user, sipFromUser: call.invite.fromUser)
        return [.record(.started(start)), arm(.answerTimeout, after: settings.outboundAnswerTimeout),
                arm(.setupBudget, after: settings.setupBudget), .checkPermission(user: call.user)]
    }

    /// The permission is known: open media, or refuse with 403.
    /// The CDR keeps `recordedAs` (default: the permission's status) as the permission state the call met.
    mutating func permissionChecked(_ permission: CallPermission, recordedAs label: String? = nil)
        -> [CallControlAction] {
        guard case .outbound(let call, .checkingPermission) = state else { return [] }
        let recorded = CallControlAction.record(.permission(label ?? permission.status.rawValue))
        guard permission.allowsCalling else {
            var actions: [CallControlAction] = [recorded]
            let response = FailureMapping.noPermissionResponse()
            if settings.sendPermissionRequest, permission.canRequestPermission != false {
                actions.append(.sendPermissionRequest(user: call.user, text: settings.permissionRequestText))
                if let arm = armCallback(call) { actions.append(arm) }
            }
            let ending = CallEnding(reason: .noPermission, endedBy: .gateway, sipStatus: 403,
                                    detail: "no call permission from \(call.user)")
            return actions + end(ending, response: response)
        }
        state = .outbound(call, .openingMedia)
        mediaRequested = true
        return [recorded, .openOutboundMedia(sipOffer: call.invite.sdpOffer)]
    }

    /// A failed check does not refuse the call: `connect` is the authority and
    /// fails with Meta's no-permission code when there really is none.
    mutating func permissionCheckFailed(_ failure: WhatsAppFailure) -> [CallControlAction] {
        permissionChecked(CallPermission(status: .temporary), recordedAs: "unknown")
    }

    /// Media produced the WebRTC offer: connect.
    mutating func outboundMediaOpened(_ session: OutboundMediaSession) -> [CallControlAction] {
        guard case .outbound(let call, .openingMedia) = state else { return isEnded ? [.closeMedia] : [] }
        state = .outbound(call, .setup(OutboundSetup(session: session)))
        connectInFlight = true
        return [.connect(user: call.user, offer: session.whatsAppOffer)]
    }

    /// `connect` answered; after the call ended, the new wacid is terminated.
    mutating func connectSucceeded(_ wacid: WACID) -> [CallControlAction] {
        connectInFlight = false
        if case .ended = state {
            guard terminateWhenConnected else { return [] }
            terminateWhenConnected = false
            if context.wacid == nil { context.wacid = wacid }
            return [.record(.linkedWhatsApp(wacid)), .terminate(wacid)]
        }
        return learn(wacid)
    }

    /// `connect` failed: map the error to the SIP answer (docs/call-flows.md, "Cloud API errors on `connect`").
    mutating func connectFailed(_ failure: WhatsAppFailure) -> [CallControlAction] {
        connectInFlight = false
        var actions: [CallControlAction] = failure.outcomeUnknown ? [.rememberUnknownConnect] : []
        if case .ended = state {
            terminateWhenConnected = false
            return actions
        }
        if direction == .callback { return callbackConnectFailed(failure, actions: actions) }
        guard case .outbound(let call, .setup) = state else { return actions }
        if FailureMapping.revokesPermission(failure) {
            actions.append(.invalidatePermission(user: call.user))
            if settings.sendPermissionRequest {
                actions.append(.sendPermissionRequest(user: call.user, text: settings.permissionRequestText))
                if let arm = armCallback(call) { actions.append(arm) }
            }
        }
        let retryAfter = failure.isOutage ? settings.unavailableRetryAfter : settings.defaultRetryAfter
        let (response, reason) = FailureMapping.response(for: failure, defaultRetryAfter: retryAfter)
        let ending = CallEnding(reason: reason, endedBy: .whatsApp, sipStatus: response.status,
                                whatsAppCode: failure.graphCode, detail: failure.description,
                                fbtraceID: failure.fbtraceID)
        // A webhook may already have told us the wacid: then the call exists and is terminated.
        return actions + end(ending, response: response, whatsAppDone: context.wacid == nil)
    }

    /// Records the wacid the first time it is learnt (connect response or a webhook that overtook it).
    /// Meta has answered, so the setup budget no longer runs.
    mutating func learn(_ wacid: WACID) -> [CallControlAction] {
        guard context.wacid == nil else { return [] }
        context.wacid = wacid
        return disarm(.setupBudget) + [.record(.linkedWhatsApp(wacid))]
    }

    /// The setup budget ran out before Meta gave the call a wacid (permission lookup or
    /// `connect` hanging, or failing slowly): 503 with Retry-After, as Kamailio's or
    /// Asterisk's callers expect from an overloaded upstream. A `connect` still in
    /// flight is terminated if it later succeeds.
    mutating func setupBudgetSpent() -> [CallControlAction] {
        guard case .outbound = state, context.wacid == nil else { return [] }
        let text = "WhatsApp API did not answer in time"
        let ending = CallEnding(reason: .whatsAppError, endedBy: .gateway, sipStatus: 503,
                                detail: "setup budget of \(settings.setupBudget) spent")
        let response = SIPResponse(status: 503, warning: text, reason: FailureMapping.sipReason(503, text),
                                   retryAfter: settings.unavailableRetryAfter)
        return end(ending, response: response)
    }

    /// RINGING, ACCEPTED or REJECTED of an outbound call.
    mutating func whatsAppStatus(_ status: WhatsAppCallStatus, wacid: WACID) -> [CallControlAction] {
        guard case .outbound(let call, .setup(var setup)) = state else { return [] }
        var actions = learn(wacid)
        switch status {
        case .ringing:
            guard !setup.alerted else { return actions }
            setup.alerted = true
            state = .outbound(call, .setup(setup))
            actions += alert(call, setup)
        case .accepted:
            guard !setup.accepted else { return actions }
            setup.accepted = true
            state = .outbound(call, .setup(setup))
            if !setup.mediaConnected { actions.append(arm(.mediaSetup, after: settings.mediaSetupTimeout)) }
            actions += answerIfReady()
        case .rejected:
            let ending = CallEnding(reason: .rejected, endedBy: .whatsApp, sipStatus: 603, detail: "REJECTED")
            let response = SIPResponse(status: 603, phrase: "Decline",
                                       reason: FailureMapping.sipReason(603, "Declined by the WhatsApp user"))
            actions += end(ending, response: response, whatsAppDone: true)
        }
        return actions
    }

    private func alert(_ call: OutboundCall, _ setup: OutboundSetup) -> [CallControlAction] {
        switch settings.earlyMedia {
        case .ringing:
            return [.respond(call.invite.leg, SIPResponse(status: 180)), .record(.ringing)]
        case .ringback:
            return [.respond(call.invite.leg, SIPResponse(status: 183, sdp: setup.session.sipAnswer)), .startRingback,
                    .record(.ringing)]
        }
    }

    /// The connect webhook with the user's SDP answer: start ICE/DTLS.
    mutating func whatsAppAnswer(_ sdp: String?, wacid: WACID) -> [CallControlAction] {
        guard case .outbound(let call, .setup(var setup)) = state else { return [] }
        var actions = learn(wacid)
        guard setup.answerSDP == nil, let sdp else { return actions }
        setup.answerSDP = sdp
        state = .outbound(call, .setup(setup))
        actions.append(.startWhatsAppMedia(remoteAnswer: sdp))
        return actions + answerIfReady()
    }

    /// ICE/DTLS completed on the WebRTC leg.
    mutating func mediaConnected() -> [CallControlAction] {
        guard case .outbound(let call, .setup(var setup)) = state, !setup.mediaConnected else { return [] }
        setup.mediaConnected = true
        state = .outbound(call, .setup(setup))
        return answerIfReady()
    }

    /// Sends the SIP 200 once ACCEPTED, the answer SDP and ICE/DTLS are all in.
    mutating func answerIfReady() -> [CallControlAction] {
        guard case .outbound(let call, .setup(let setup)) = state, setup.readyToAnswer else { return [] }
        state = .outbound(call, .answered(setup.session))
        return disarm(.answerTimeout) + disarm(.mediaSetup) + [
            .respond(call.invite.leg, SIPResponse(status: 200, sdp: setup.session.sipAnswer)),
            .startBridging, .record(.answered),
        ]
    }

    /// CANCEL of the incoming INVITE before it was answered.
    mutating func sipCancelled(_ leg: SIPLegID) -> [CallControlAction] {
        if case .echo = state { return echoCancelled(leg) }
        guard case .outbound(let call, let phase) = state, call.invite.leg == leg else { return [] }
        if case .answered = phase { return [] }
        let ending = CallEnding(reason: .cancelled, endedBy: .sip, sipStatus: 487)
        return end(ending, response: SIPResponse(status: 487, phrase: "Request Terminated"))
    }
}
