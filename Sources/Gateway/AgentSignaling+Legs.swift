import CallControl
import WebAgents

/// What call control asks of agent legs (through `BusinessSignaling`).
extension AgentSignaling {
    /// Rings one browser fork `sub` of `call`: only a connected session of the
    /// target's own user, with wagate's offer for that fork. A fork that cannot
    /// ring fails at once (480), as an unreachable phone does.
    func ring(_ sub: SIPLegID, target: SIPTarget, call: OutgoingSIPCall, context: CallLogContext) async {
        guard case .contact(let user, let uri) = target, let session = await hub.session(for: uri),
              session.user == user, session.connected else {
            await sink?.handleSIP(.failed(status: 480, reason: "browser session gone"), on: sub)
            return
        }
        let id = AgentIDs.call()
        let offer: String
        do {
            offer = try await media.offerForAgent(call: context.callID, fork: id)
        } catch {
            logger.warning("no media for a browser fork", metadata: context.metadata.merging(
                ["agent_call": "\(id)", "error": "\(error)"]) { $1 })
            await sink?.handleSIP(.failed(status: 503, reason: "no media for the browser"), on: sub)
            return
        }
        insert(Call(session: session.session, user: user, leg: sub, direction: .inbound, callID: context.callID), id: id)
        let incoming = Self.incoming(id, offer: offer, call: call)
        guard await hub.send(.incoming(incoming), to: session.session) else {
            remove(sub)
            await media.releaseAgentFork(call: context.callID, fork: id)
            await sink?.handleSIP(.failed(status: 480, reason: "browser session gone"), on: sub)
            return
        }
        logger.info("ringing browser", metadata: context.metadata.merging(
            ["agent_call": "\(id)", "user": "\(user)", "session": "\(session.session)"]) { $1 })
    }

    /// The `incoming` message of a fork: caller, called number and its section name, CTA
    /// payload, offer; a transfer leg (its target, or the transferor rung again when nobody
    /// answered) is `direction: transfer`.
    static func incoming(_ id: String, offer: String, call: OutgoingSIPCall) -> AgentIncoming {
        let caller = call.caller
        let from = AgentParty(number: caller?.phone ?? (caller == nil ? call.callerNumber : nil),
                              bsuid: caller?.bsuid, username: caller?.username,
                              name: caller?.profileName ?? call.callerDisplayName)
        return AgentIncoming(call: id, sdp: offer, from: from, to: AgentParty(number: call.calledNumber, name: call.calledNumberName),
                             ctaPayload: call.context?.ctaPayload, deeplinkPayload: call.context?.deeplinkPayload,
                             direction: call.leg.isTransferLeg || call.replaces != nil || call.referredBy != nil
                                 ? "transfer" : "whatsapp",
                             referredBy: call.referredBy)
    }

    /// Call control's response on a browser's own call: 180/183 → `progress` (with
    /// wagate's answer SDP as soon as media has it), 2xx → `answered`, a failure →
    /// `ended` (preceded by `permission {status:"missing"}` for a permission refusal).
    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        guard let id = byLeg[leg], var call = calls[id], call.direction == .outbound else { return }
        call.callID = context.callID
        calls[id]?.callID = context.callID
        switch response.status {
        case 100..<200:
            var sdp = response.sdp
            if sdp == nil { sdp = await media.answerForAgent(call: context.callID) }
            await tell(.progress(call: id, status: response.status, sdp: sdp), session: call.session)
        case 200..<300:
            guard !call.answered else { return }
            call.answered = true
            calls[id] = call
            await tell(.answered(call: id, sdp: response.sdp), session: call.session)
        default:
            remove(leg)
            if FailureMapping.isNoPermission(response), let dialled = call.dialled {
                await tell(.permission(AgentPermissionNotice(to: dialled, status: "missing", canRequest: true,
                                                             requestSent: false)), session: call.session)
            }
            let reason = FailureMapping.isNoPermission(response)
                ? CallEndReason.noPermission : FailureMapping.endReason(forSIPFailure: response.status)
            await tell(.ended(AgentEnded(call: id, reason: reason.rawValue, by: "gateway", sipStatus: response.status,
                                         detail: response.warning ?? response.phrase)), session: call.session)
        }
    }

    /// A fork that stops ringing: another leg answered, or call control gave up on it.
    func cancel(_ leg: SIPLegID, reason: AgentCancelReason, context: CallLogContext) async {
        guard let (id, call) = remove(leg) else { return }
        if let callID = call.callID, !call.answered || reason == .answeredElsewhere {
            await media.releaseAgentFork(call: callID, fork: id)
        }
        await tell(.cancelled(call: id, reason: reason), session: call.session)
    }

    /// Call control ends the browser's leg: the agent's transfer moved the call away
    /// (`by: agent`), or the call is over and its ending says who ended it
    /// (`whatsapp`: the user hung up; `gateway`: an operator, a drain, a media failure,
    /// a transfer that nobody answered; `sip`: a phone party). A hang-up without an
    /// ending is the gateway's.
    func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        guard let (id, call) = remove(leg) else { return }
        await tell(.ended(Self.ended(id, transferTo: call.transferTo, reason: reason)), session: call.session)
    }

    /// The `ended` message of a browser leg call control hangs up.
    static func ended(_ id: String, transferTo: String?, reason: SIPReason?) -> AgentEnded {
        if let transferTo {
            return AgentEnded(call: id, reason: CallEndReason.normal.rawValue, by: "agent", detail: "transferred to \(transferTo)")
        }
        guard let ending = reason?.callEnding else {
            return AgentEnded(call: id, reason: CallEndReason.normal.rawValue, by: CallParty.gateway.rawValue, detail: reason?.text)
        }
        return AgentEnded(call: id, reason: ending.reason.rawValue, by: ending.endedBy.rawValue, detail: ending.detail)
    }

    /// A transfer's progress, as the SIP side's NOTIFY would carry it.
    func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async {
        guard let id = byLeg[leg], let call = calls[id] else { return }
        let state = switch status {
        case 100..<200: "trying"
        case 200..<300: "completed"
        default: "failed"
        }
        if state == "failed" { calls[id]?.transferTo = nil }
        if state == "completed", let callID = call.callID { await media.detachAgentSide(call: callID) }
        await tell(.transfer(AgentTransferNotice(call: id, state: state, to: call.transferTo ?? "", sipStatus: status)),
                   session: call.session)
    }
}
