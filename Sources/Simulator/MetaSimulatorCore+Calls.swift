import Foundation
import WhatsAppCloud

/// The five call actions, with Meta's validation and error codes (docs/whatsapp.md#call-actions).
extension MetaSimulatorCore {
    /// One `POST …/calls` body: validates and dispatches on `action`.
    func callAction(_ body: JSONValue, number: SimulatedNumber) throws -> (Int, JSONValue) {
        guard body["messaging_product"]?.stringValue == "whatsapp" else {
            throw SimulatedGraphError.invalidParameter("messaging_product must be whatsapp")
        }
        // Each number answers from its own settings: 138000 disabled, SIP mode refuses Graph calling.
        let calling = callingSettings(of: number)
        guard calling.sip?.status?.uppercased() != "ENABLED" else { throw SimulatedGraphError.sipMode }
        guard calling.isEnabled else { throw SimulatedGraphError.callingDisabled }
        let action = body["action"]?.stringValue ?? ""
        if action == "connect" { return try connect(body, number: number) }
        guard let callID = body["call_id"]?.stringValue, !callID.isEmpty else {
            throw SimulatedGraphError.invalidParameter("call_id is required for \(action)")
        }
        // A call is only known through the number it is to or from.
        guard var call = calls[callID], webhooks.number(of: call) == number else {
            throw SimulatedGraphError.invalidParameter("Invalid call_id \(callID)")
        }
        switch action {
        case "pre_accept": try preAccept(&call, body, number: number)
        case "accept": try accept(&call, body, number: number)
        case "reject": try reject(&call)
        case "terminate": try terminate(&call)
        default: throw SimulatedGraphError.invalidParameter("Unknown action '\(action)'")
        }
        return (200, try Self.encode(SuccessResponse()))
    }

    /// Validates a session: its `sdp_type` and that the SDP has a fingerprint (the number in DTLS mode).
    func checkSession(_ body: JSONValue, expected: SDPType, action: String, number: SimulatedNumber) throws -> String {
        guard let session = body["session"], let sdp = session["sdp"]?.stringValue, !sdp.isEmpty else {
            throw SimulatedGraphError.invalidParameter("session.sdp is required for \(action)")
        }
        guard session["sdp_type"]?.stringValue == expected.rawValue else {
            throw SimulatedGraphError.invalidParameter("session.sdp_type must be \"\(expected.rawValue)\" for \(action)")
        }
        let sdes = callingSettings(of: number).srtpKeyExchangeProtocol?.uppercased() == "SDES"
        if !sdes && !sdp.contains("a=fingerprint:") {
            throw SimulatedGraphError.invalidParameter("No fingerprint found in SDP")
        }
        return sdp
    }

    private func connect(_ body: JSONValue, number: SimulatedNumber) throws -> (Int, JSONValue) {
        let to = try graphUserKey(to: body["to"]?.lenientString, recipient: body["recipient"]?.lenientString)
        let offer = try checkSession(body, expected: .offer, action: "connect", number: number)
        let opaque = body["biz_opaque_callback_data"]?.stringValue
        if let opaque, opaque.count > 512 {
            throw SimulatedGraphError.invalidParameter("biz_opaque_callback_data exceeds 512 characters")
        }
        let capture = try checkCapture(body)
        let at = now()
        guard !settings.uncallableUsers.contains(to) else { throw SimulatedGraphError.uncallable }
        switch permission(to).callRefusal(at: at) {
        case 138006?: throw SimulatedGraphError.noPermission
        case 138012?: throw SimulatedGraphError.dailyLimit(nextAllowed: permission(to).nextCallAllowed(at: at))
        default: break
        }
        let live = calls.values.filter { $0.isLive && webhooks.number(of: $0) == number }
        guard !live.contains(where: { $0.user == to }) else { throw SimulatedGraphError.duplicate }
        guard live.count < settings.maxConcurrentCalls else { throw SimulatedGraphError.concurrency }
        guard takeConnectSlot(number: number, at: at) else { throw SimulatedGraphError.rateLimit }
        var call = SimulatedCall(id: MetaIDs.callID(), direction: .businessInitiated, user: to, state: .calling,
                                 createdAt: at, businessSDP: offer, bizOpaqueCallbackData: opaque)
        call.number = number.phoneNumberID
        call.capture = capture
        calls[call.id] = call
        logger.info("simulated business call ringing", metadata: ["wacid": "\(call.id)", "wa_id": "\(to)"])
        Task { await self.ring(call.id) }
        return (200, try Self.encode(ConnectResponse(callID: call.id)))
    }

    /// Counts a business-initiated call against the number's rate window; false when the window is full.
    func takeConnectSlot(number: SimulatedNumber, at: Date) -> Bool {
        var recent = connectTimes[number.phoneNumberID, default: []]
        recent.removeAll { at.timeIntervalSince($0) >= settings.connectRateWindow }
        guard recent.count < settings.maxConnectsPerWindow else {
            connectTimes[number.phoneNumberID] = recent
            return false
        }
        connectTimes[number.phoneNumberID] = recent + [at]
        return true
    }

    /// After connect: RINGING (and, by default, the connect webhook with Meta's answer).
    private func ring(_ callID: String) async {
        guard let offer = calls[callID]?.businessSDP, calls[callID]?.state == .calling else { return }
        let answer: String
        do {
            answer = applyMediaFault(to: try await media.answer(callID: callID, offer: offer), callID: callID)
        } catch {
            logger.warning("simulated media refused the offer", metadata: ["wacid": "\(callID)", "error": "\(error)"])
            return
        }
        guard var call = calls[callID], call.state == .calling else { return }
        call.userSDP = answer
        call.state = .ringing
        calls[callID] = call
        let at = now()
        let number = webhooks.number(of: call)
        dispatcher.send(webhooks.status(callID: callID, user: user(call.user), status: .ringing, at: at,
                                        opaque: call.bizOpaqueCallbackData, number: number))
        if settings.answerTiming == .withRinging {
            dispatcher.send(webhooks.businessConnect(callID: callID, user: user(call.user), answer: answer, at: at,
                                                     opaque: call.bizOpaqueCallbackData, number: number))
        }
        if let delay = settings.autoAnswerAfter {
            schedule(callID, after: delay) { core in _ = try? await core.userAnswers(callID) }
        } else {
            schedule(callID, after: settings.ringTimeout) { core in await core.expireRinging(callID) }
        }
    }

    private func preAccept(_ call: inout SimulatedCall, _ body: JSONValue, number: SimulatedNumber) throws {
        guard call.direction == .userInitiated, call.state == .offered else {
            throw SimulatedGraphError.invalidParameter("Call \(call.id) cannot be pre_accepted in state \(call.state.rawValue)")
        }
        let sdp = try checkSession(body, expected: .answer, action: "pre_accept", number: number)
        call.businessSDP = sdp
        call.state = .preAccepted
        calls[call.id] = call
        // As Meta does, the user's side connects (ICE, DTLS) on pre_accept, so media flows from the accept on.
        let media = self.media
        let id = call.id
        Task { await media.connect(callID: id, remoteSDP: sdp) }
    }

    private func accept(_ call: inout SimulatedCall, _ body: JSONValue, number: SimulatedNumber) throws {
        guard call.direction == .userInitiated, call.state == .offered || call.state == .preAccepted else {
            throw SimulatedGraphError.invalidParameter("Call \(call.id) cannot be accepted in state \(call.state.rawValue)")
        }
        let sdp = try checkSession(body, expected: .answer, action: "accept", number: number)
        if call.state == .preAccepted, call.businessSDP != sdp {
            throw SimulatedGraphError.invalidParameter("SDP in accept does not match the SDP in pre_accept")
        }
        call.capture = try checkCapture(body)
        call.businessSDP = sdp
        call.state = .accepted
        call.answeredAt = now()
        calls[call.id] = call
        cancelTimer(call.id)
        let media = self.media
        let id = call.id
        Task { await media.start(callID: id, remoteSDP: sdp) }
    }

    private func reject(_ call: inout SimulatedCall) throws {
        guard call.direction == .userInitiated, call.state == .offered || call.state == .preAccepted else {
            throw SimulatedGraphError.invalidParameter("Call \(call.id) cannot be rejected in state \(call.state.rawValue)")
        }
        end(call.id, status: "FAILED", unanswered: false)
    }

    private func terminate(_ call: inout SimulatedCall) throws {
        guard call.isLive else { throw SimulatedGraphError.invalidParameter("Call \(call.id) has already ended") }
        end(call.id, status: call.answeredAt == nil ? "FAILED" : "COMPLETED", unanswered: call.state == .ringing || call.state == .calling)
    }

    /// Ends a call: state, permission bookkeeping, media stop and the terminate webhook.
    func end(_ callID: String, status: String, unanswered: Bool, errors: [WebhookError] = []) {
        guard var call = calls[callID], call.isLive else { return }
        let at = now()
        if call.direction == .businessInitiated && unanswered {
            permissions[call.user, default: defaultPermission()]
                .recordUnanswered(at: at)
        }
        cancelTimer(callID)
        let payload = webhooks.terminate(call, user: user(call.user), status: status, at: at, errors: errors)
        call.state = .ended
        calls[callID] = call
        sendCallWebhook(payload, for: call)
        notifySIP(.ended(callID), for: call)
        scheduleCaptureResults(call)
        let media = self.media
        mediaSinks[callID] = nil
        Task { await media.stop(callID: callID) }
    }

    /// The ring timeout: an unanswered business call ends (and counts as unanswered).
    func expireRinging(_ callID: String) {
        guard calls[callID]?.state == .ringing else { return }
        end(callID, status: "FAILED", unanswered: true)
    }

    /// The accept timeout: a user call nobody accepted ends.
    func expireOffered(_ callID: String) {
        guard let state = calls[callID]?.state, state == .offered || state == .preAccepted else { return }
        end(callID, status: "FAILED", unanswered: false)
    }

    /// Runs `action` after `delay` unless cancelled by a state change.
    func schedule(_ callID: String, after delay: Duration, _ action: @escaping @Sendable (MetaSimulatorCore) async -> Void) {
        cancelTimer(callID)
        timers[callID] = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled, let self else { return }
            await action(self)
        }
    }

    /// Cancels the call's pending timeout, if any.
    func cancelTimer(_ callID: String) {
        timers.removeValue(forKey: callID)?.cancel()
    }
}
