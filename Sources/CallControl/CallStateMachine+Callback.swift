// Callback calls: a caller refused for lack of permission is called back once
// the WhatsApp user grants it. The SIP leg goes first (INVITE to the phone or
// trunk, wagate's SIP offer), then, once the phone has answered, `connect` to
// the WhatsApp user; the phone hears ringback while WhatsApp rings, and the
// bridge opens once ACCEPTED, the answer SDP and ICE/DTLS are all in.
//
//   openingMedia ─▶ ringingPhone ─▶ connecting(connect, RINGING, answer SDP,
//   ACCEPTED, media connected — any order) ─▶ connected ─▶ ended

extension CallStateMachine {
    /// Creates the machine of a callback call to `call.target` for `call.user`.
    public init(id: CallID, callback call: CallbackCall, settings: CallSettings) {
        self.id = id
        self.direction = .callback
        self.settings = settings
        self.context = CallLogContext(callID: id)
        self.state = .callback(call, .openingMedia)
    }

    /// The action that arms a callback for a refused outbound call, when its caller has `permission_callback`.
    func armCallback(_ call: OutboundCall) -> CallControlAction? {
        call.callbackWindow.map { .armCallback(CallbackRequest(invite: call.invite, user: call.user, window: $0)) }
    }

    /// The id of the callback's one SIP leg.
    var callbackLeg: SIPLegID { SIPLegID("\(id.rawValue)/leg1") }

    /// Records the call, arms the ring guard and opens media without a SIP offer,
    /// so media writes wagate's own SIP offer and WebRTC offer.
    mutating func startCallback(_ call: CallbackCall) -> [CallControlAction] {
        let start = CallStart(direction: .callback, from: call.user.address, to: call.target.name, user: call.user)
        mediaRequested = true
        return [.record(.started(start)), arm(.ringTimeout, after: settings.ringTimeout),
                .openOutboundMedia(sipOffer: nil)]
    }

    /// Media ready: ring the caller, presented as the WhatsApp user as inbound calls are.
    mutating func callbackMediaOpened(_ session: OutboundMediaSession) -> [CallControlAction] {
        guard case .callback(let call, .openingMedia) = state else { return isEnded ? [.closeMedia] : [] }
        state = .callback(call, .ringingPhone(session))
        var outgoing = OutgoingSIPCall(leg: callbackLeg, targets: call.target.targets,
                                       callerNumber: call.target.callerNumber,
                                       callerDisplayName: call.user.sipDisplayName, sdpOffer: session.sipAnswer,
                                       headers: call.user.sipHeaders)
        outgoing.requestUser = call.target.requestUser
        return [.placeCall(outgoing)]
    }

    /// The phone answered: ACK, apply its answer, and `connect` to the WhatsApp user.
    mutating func callbackAnswered(_ leg: SIPLegID, sdp: String?, sipCallID: String?) -> [CallControlAction] {
        guard case .callback(let call, .ringingPhone(let session)) = state, leg == callbackLeg else {
            if leg == callbackLeg, establishedLeg == leg || isConnecting { return [] }
            return leg == callbackLeg ? [.acknowledge(leg), .hangUp(leg, nil)] : []
        }
        state = .callback(call, .connecting(OutboundSetup(session: session)))
        var actions = disarm(.ringTimeout)
        if let sipCallID {
            context.sipCallID = sipCallID
            actions.append(.record(.linkedSIP(sipCallID: sipCallID)))
        }
        if let sdp { actions.append(.setSIPRemote(sdp)) }
        connectInFlight = true
        return actions + [.acknowledge(leg), arm(.answerTimeout, after: settings.outboundAnswerTimeout),
                          arm(.setupBudget, after: settings.setupBudget),
                          .connect(user: call.user, offer: session.whatsAppOffer)]
    }

    /// True while the phone has answered and the WhatsApp user has not.
    var isConnecting: Bool {
        if case .callback(_, .connecting) = state { return true }
        return false
    }

    /// `connect` failed: hang up on the phone with the reason outbound calls would give.
    mutating func callbackConnectFailed(_ failure: WhatsAppFailure,
                                        actions: [CallControlAction]) -> [CallControlAction] {
        guard case .callback(let call, .connecting) = state else { return actions }
        var actions = actions
        if FailureMapping.revokesPermission(failure) { actions.append(.invalidatePermission(user: call.user)) }
        let (response, reason) = FailureMapping.response(for: failure, defaultRetryAfter: settings.defaultRetryAfter)
        let ending = CallEnding(reason: reason, endedBy: .whatsApp, sipStatus: response.status,
                                whatsAppCode: failure.graphCode, detail: failure.description,
                                fbtraceID: failure.fbtraceID)
        return actions + end(ending, response: response, whatsAppDone: context.wacid == nil)
    }

    /// RINGING (ringback to the phone), ACCEPTED or REJECTED of the WhatsApp leg.
    mutating func callbackStatus(_ status: WhatsAppCallStatus, wacid: WACID) -> [CallControlAction] {
        guard case .callback(let call, .connecting(var setup)) = state else { return [] }
        var actions = learn(wacid)
        switch status {
        case .ringing:
            guard !setup.alerted else { return actions }
            setup.alerted = true
            state = .callback(call, .connecting(setup))
            // The phone's dialog is confirmed: in-band ringback is plain audio, whatever `early_media` says.
            actions += [.startRingback, .record(.ringing)]
        case .accepted:
            guard !setup.accepted else { return actions }
            setup.accepted = true
            state = .callback(call, .connecting(setup))
            if !setup.mediaConnected { actions.append(arm(.mediaSetup, after: settings.mediaSetupTimeout)) }
            actions += bridgeCallbackIfReady()
        case .rejected:
            let ending = CallEnding(reason: .rejected, endedBy: .whatsApp, detail: "REJECTED")
            actions += end(ending, response: SIPResponse(status: 603, reason: FailureMapping.sipReason(
                603, "Declined by the WhatsApp user")), whatsAppDone: true)
        }
        return actions
    }

    /// The user's SDP answer: start ICE/DTLS.
    mutating func callbackAnswer(_ sdp: String?, wacid: WACID) -> [CallControlAction] {
        guard case .callback(let call, .connecting(var setup)) = state else { return [] }
        var actions = learn(wacid)
        guard setup.answerSDP == nil, let sdp else { return actions }
        setup.answerSDP = sdp
        state = .callback(call, .connecting(setup))
        actions.append(.startWhatsAppMedia(remoteAnswer: sdp))
        return actions + bridgeCallbackIfReady()
    }

    /// ICE/DTLS completed on the WebRTC leg.
    mutating func callbackMediaConnected() -> [CallControlAction] {
        guard case .callback(let call, .connecting(var setup)) = state, !setup.mediaConnected else { return [] }
        setup.mediaConnected = true
        state = .callback(call, .connecting(setup))
        return bridgeCallbackIfReady()
    }

    /// Bridges both ways once ACCEPTED, the answer SDP and ICE/DTLS are all in.
    mutating func bridgeCallbackIfReady() -> [CallControlAction] {
        guard case .callback(let call, .connecting(let setup)) = state, setup.readyToAnswer else { return [] }
        state = .callback(call, .connected(setup.session))
        return disarm(.answerTimeout) + disarm(.mediaSetup) + [.startBridging, .record(.answered)]
    }

    /// The phone's INVITE failed (busy, declined, unreachable): nothing was sent to WhatsApp yet.
    mutating func callbackSIPFailed(_ leg: SIPLegID, status: Int, reason: String?) -> [CallControlAction] {
        guard case .callback(_, let phase) = state, leg == callbackLeg else { return [] }
        let cause: CallEndReason = if case .ringingPhone = phase {
            FailureMapping.endReason(forSIPFailure: status)
        } else { .sipError }
        return end(CallEnding(reason: cause, endedBy: .sip, sipStatus: status, detail: reason), response: nil,
                   sipDone: true)
    }

    /// Ring guard, answer guard, media guard and setup budget of a callback.
    mutating func callbackTimerFired(_ timer: CallTimer) -> [CallControlAction] {
        guard case .callback(_, let phase) = state else { return [] }
        switch (timer, phase) {
        case (.ringTimeout, .openingMedia), (.ringTimeout, .ringingPhone):
            return end(CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "the caller did not answer"),
                       response: nil)
        case (.answerTimeout, .connecting):
            return end(CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "no answer from WhatsApp user"),
                       response: SIPResponse(status: 480, reason: FailureMapping.sipReason(480, "No answer")))
        case (.mediaSetup, .connecting):
            return mediaFailed("ICE/DTLS not complete in time", reason: .mediaFailure)
        case (.setupBudget, .connecting) where context.wacid == nil:
            let text = "WhatsApp API did not answer in time"
            return end(CallEnding(reason: .whatsAppError, endedBy: .gateway, detail: text),
                       response: SIPResponse(status: 503, reason: FailureMapping.sipReason(503, text)))
        default:
            return []
        }
    }

    /// Ends a callback's SIP leg: nothing before the INVITE, CANCEL while it
    /// rings, BYE (with the reason of `response`) once answered.
    func endCallbackSIP(_ phase: CallbackPhase, response: SIPResponse?) -> [CallControlAction] {
        switch phase {
        case .openingMedia: []
        case .ringingPhone: [.cancel(callbackLeg, nil)]
        case .connecting, .connected: [.hangUp(callbackLeg, response?.reason)]
        }
    }

    /// Ends a callback's WhatsApp leg: `terminate` once `connect` was sent.
    mutating func endCallbackWhatsApp(_ phase: CallbackPhase) -> [CallControlAction] {
        switch phase {
        case .openingMedia, .ringingPhone:
            return []
        case .connecting, .connected:
            if let wacid = context.wacid { return [.terminate(wacid)] }
            if connectInFlight { terminateWhenConnected = true }
            return []
        }
    }
}
