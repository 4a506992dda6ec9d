import CallControl
import WebAgents

/// What the page asks: each request is answered once (`ok` or `error`), then
/// becomes a leg event for call control.
extension AgentSignaling {
    /// Handles one call request of `session`.
    func handle(_ request: AgentCallRequest, re: String?, session: String, user: String) async {
        switch request {
        case let .dial(to, sdp):
            await dial(to, sdp: sdp, re: re, session: session, user: user)
        case .permissionRequest(let to):
            await requestPermission(to: to, re: re, session: session, user: user)
        default:
            guard let id = request.call, let call = calls[id], call.session == session else {
                await refuse(re, .unknownCall, "no such call", session: session)
                return
            }
            await handle(request, call: call, id: id, re: re)
        }
    }

    /// A request about one of the session's calls.
    private func handle(_ request: AgentCallRequest, call: Call, id: String, re: String?) async {
        switch request {
        case .ringing:
            guard call.direction == .inbound, !call.answered else { return await invalid(re, call) }
            await ok(re, call)
            await sink?.handleSIP(.progress(status: 180, sdp: nil), on: call.leg)
        case .answer(_, let sdp):
            guard call.direction == .inbound, !call.answered else { return await invalid(re, call) }
            await answer(call, id: id, sdp: sdp, re: re)
        case .reject(_, let reason):
            guard call.direction == .inbound, !call.answered else { return await invalid(re, call) }
            await ok(re, call)
            await dropFork(call, id: id, status: reason == .busy ? 486 : 603, phrase: reason == .busy ? "Busy Here" : "Decline")
        case .hangup:
            await ok(re, call)
            await hangUpByAgent(call, id: id)
        case let .dtmf(_, digits, duration):
            guard call.answered else { return await invalid(re, call) }
            await ok(re, call)
            for digit in digits { await sink?.handleSIP(.dtmf(DTMFDigit(digit, durationMilliseconds: duration)), on: call.leg) }
        case let .hold(_, on), let .mute(_, on):
            guard call.answered else { return await invalid(re, call) }
            await ok(re, call)
            await setMedia(call, id: id, request: request, on: on)
        case let .transfer(_, to, replaces):
            if let replaces { return await consultTransfer(call, id: id, replaces: replaces, re: re) }
            guard call.answered, let to else {
                return await refuse(re, .invalidState, "the call is not answered", session: call.session)
            }
            calls[id]?.transferTo = to
            await ok(re, call)
            await sink?.handleSIP(.transferRequested(TransferRequest(target: to, referredBy: call.user)), on: call.leg)
        case .dial, .permissionRequest:
            return
        }
    }

    /// `dial`: an INVITE from the user as call control sees it.
    private func dial(_ to: String, sdp: String, re: String?, session: String, user: String) async {
        let id = AgentIDs.call()
        let leg = nextDialLeg()
        var call = Call(session: session, user: user, leg: leg, direction: .outbound)
        call.dialled = to
        insert(call, id: id)
        await hub.send(.ok(re: re, call: id), to: session)
        logger.info("browser dials", metadata: ["agent_call": "\(id)", "user": "\(user)", "leg": "\(leg)"])
        await sink?.handleIncomingInvite(IncomingInvite(leg: leg, sipCallID: "agent-" + id, origin: .user(user),
                                                        dialled: to, fromUser: user, sdpOffer: sdp))
    }

    /// `answer`: the browser's leg joins the bridge, then the fork's 2xx goes to
    /// call control without SDP (media already has the answer).
    private func answer(_ call: Call, id: String, sdp: String, re: String?) async {
        guard let callID = call.callID else { return await invalid(re, call) }
        guard await business?.claim(call.leg) == true else {
            return await refuse(re, .invalidState, "answered elsewhere", session: call.session)
        }
        do {
            try await media.agentAnswered(call: callID, fork: id, sdp: sdp)
        } catch {
            await refuse(re, .invalidState, "the answer cannot be used: \(error)", session: call.session)
            await dropFork(call, id: id, status: 488, phrase: "Not Acceptable Here")
            return
        }
        guard calls[id] != nil else { return await refuse(re, .invalidState, "no longer ringing", session: call.session) }
        calls[id]?.answered = true
        await ok(re, call)
        await sink?.handleSIP(.answered(sdp: nil, sipCallID: nil, by: .user(call.user)), on: call.leg)
        if calls[id]?.answered == true { await tell(.answered(call: id, sdp: nil), session: call.session) }
    }

    /// The agent hangs up: a ringing fork declines, a browser's unanswered `dial` is
    /// cancelled, an answered call gets BYE.
    private func hangUpByAgent(_ call: Call, id: String) async {
        if call.direction == .inbound && !call.answered {
            return await dropFork(call, id: id, status: 603, phrase: "Decline")
        }
        remove(call.leg)
        await tell(.ended(AgentEnded(call: id, reason: CallEndReason.normal.rawValue, by: "agent")), session: call.session)
        await sink?.handleSIP(call.answered ? .bye : .cancelled, on: call.leg)
    }

    /// The answered browser `fork` of `callID` (an inbound fork's agent call id, or
    /// `outbound` for a dial) closed its PeerConnection without sending `hangup`
    /// first: the agent hung up. A leg that already ended (a `hangup` that came
    /// first, a transfer) is no longer listed, and nothing happens.
    func browserLeft(call callID: CallID, fork: String) async {
        let found = fork == AgentFork.outbound
            ? calls.first { $0.value.callID == callID && $0.value.direction == .outbound && $0.value.answered }
            : calls[fork].map { (key: fork, value: $0) }
        guard let (id, call) = found, call.callID == callID, call.answered else { return }
        logger.info("agent's browser left the call", metadata: ["call_id": "\(callID)", "agent_call": "\(id)"])
        await hangUpByAgent(call, id: id)
    }

    /// A ringing fork that fails (`reject`, a refused answer).
    private func dropFork(_ call: Call, id: String, status: Int, phrase: String) async {
        remove(call.leg)
        if let callID = call.callID { await media.releaseAgentFork(call: callID, fork: id) }
        await sink?.handleSIP(.failed(status: status, reason: phrase), on: call.leg)
    }

    /// `hold` / `mute`: call control sets the bridge, the page gets `held` / `muted`.
    private func setMedia(_ call: Call, id: String, request: AgentCallRequest, on: Bool) async {
        var state = call.media
        if case .hold = request { state.held = on } else { state.muted = on }
        calls[id]?.media = state
        await sink?.handleSIP(.mediaState(state), on: call.leg)
        if case .hold = request {
            await tell(.held(call: id, on: on), session: call.session)
        } else {
            await tell(.muted(call: id, on: on), session: call.session)
        }
    }

    /// A session that ended: its calls end as if the agent hung up.
    func sessionEnded(_ session: String) async {
        for (id, call) in calls where call.session == session { await hangUpByAgent(call, id: id) }
    }

    private func ok(_ re: String?, _ call: Call) async {
        await hub.send(.ok(re: re), to: call.session)
    }

    private func invalid(_ re: String?, _ call: Call) async {
        await refuse(re, .invalidState, "not possible in this call's state", session: call.session)
    }

    private func refuse(_ re: String?, _ code: AgentErrorCode, _ message: String, session: String) async {
        await hub.send(.error(AgentError(re: re, code: code, message: message)), to: session)
    }
}
