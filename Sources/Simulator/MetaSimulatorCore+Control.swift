import Foundation
import WhatsAppCloud

/// What the control API asks of the simulated WhatsApp users (see docs/whatsapp-setup.md).
extension MetaSimulatorCore {
    /// User `user` (a number, or the BSUID of a user with a username and no
    /// shared number) calls the business: a connect webhook with the user's offer.
    /// `identity` adds `bsuid`, `parent_bsuid`, `username` and `name`.
    /// With `sdp`, that offer is used instead of the simulated media's: an external
    /// WebRTC stack (aiortc in the tests) then plays the user.
    /// `businessNumber` (display number, `+E164` or phone_number_id) picks the
    /// number called; nil calls the first.
    func userCalls(_ user: String, name: String?, ctaPayload: String?, sdp: String? = nil,
                   identity: JSONValue = .object([:]), businessNumber: String? = nil) async throws -> SimulatedCall {
        let number = try simulatedNumber(businessNumber)
        try checkServable(number)
        var profile = try registerUser(user, body: identity)
        if let name {
            profile.name = name
            users[profile.key] = profile
        }
        let user = profile.key
        let calling = callingSettings(of: number)
        guard calling.isEnabled, calling.sip?.status?.uppercased() != "ENABLED" else {
            throw SimulatorError.badRequest("calling is not enabled on the simulated number \(number.displayPhoneNumber) (or it is in SIP mode)")
        }
        let id = MetaIDs.callID()
        let offer: String
        if let sdp {
            offer = sdp
        } else {
            do {
                offer = applyMediaFault(to: try await media.makeOffer(callID: id), callID: id)
            } catch {
                throw SimulatorError.media("\(error)")
            }
        }
        let at = now()
        var call = SimulatedCall(id: id, direction: .userInitiated, user: user, state: .offered, createdAt: at,
                                 userSDP: offer)
        call.number = number.phoneNumberID
        calls[id] = call
        // Meta: a user's call, like a message, opens the customer service window.
        openWindow(user: user, number: number, at: at)
        dispatcher.send(webhooks.userConnect(callID: id, user: profile, offer: offer, at: at, ctaPayload: ctaPayload,
                                             number: number))
        schedule(id, after: settings.acceptTimeout) { core in await core.expireOffered(id) }
        logger.info("simulated user calls", metadata: ["wacid": "\(id)", "wa_id": "\(user)"])
        return call
    }

    /// The user answers a ringing business-initiated call: ACCEPTED (and the connect
    /// webhook after it when the answer is sent late).
    /// With `sdp`, the user's answer SDP is replaced by it (an external WebRTC stack
    /// answers; use answer timing `afterAccepted` so the connect webhook carries it).
    func userAnswers(_ callID: String, sdp: String? = nil) throws -> SimulatedCall {
        var call = try live(callID)
        guard call.direction == .businessInitiated, call.state == .ringing else {
            throw SimulatorError.invalidState(callID: callID, state: call.state.rawValue, action: "answer")
        }
        if let sdp { call.userSDP = sdp }
        let at = now()
        call.state = .answered
        call.answeredAt = at
        calls[callID] = call
        cancelTimer(callID)
        permissions[call.user, default: defaultPermission()].recordConnected(at: at)
        let number = webhooks.number(of: call)
        sendCallWebhook(webhooks.status(callID: callID, user: user(call.user), status: .accepted, at: at,
                                        opaque: call.bizOpaqueCallbackData, number: number), for: call)
        if settings.answerTiming == .afterAccepted, let answer = call.userSDP {
            sendCallWebhook(webhooks.businessConnect(callID: callID, user: user(call.user), answer: answer, at: at,
                                                     opaque: call.bizOpaqueCallbackData, number: number), for: call)
        }
        notifySIP(.answered(callID), for: call)
        if let offer = call.businessSDP {
            let media = self.media
            Task { await media.start(callID: callID, remoteSDP: offer) }
        }
        return call
    }

    /// The user declines a ringing business-initiated call: REJECTED, then terminate.
    /// `busy` declines as a busy phone does (SIP mode: 486 instead of 603).
    func userRejects(_ callID: String, busy: Bool = false) throws -> SimulatedCall {
        let call = try live(callID)
        guard call.direction == .businessInitiated, call.state == .ringing else {
            throw SimulatorError.invalidState(callID: callID, state: call.state.rawValue, action: "reject")
        }
        sendCallWebhook(webhooks.status(callID: callID, user: user(call.user), status: .rejected, at: now(),
                                        opaque: call.bizOpaqueCallbackData, number: webhooks.number(of: call)), for: call)
        notifySIP(.rejected(callID, busy: busy), for: call)
        end(callID, status: "FAILED", unanswered: false)
        return calls[callID] ?? call
    }

    /// The user hangs up any live call: terminate (COMPLETED when it was answered).
    func userHangsUp(_ callID: String) throws -> SimulatedCall {
        let call = try live(callID)
        end(callID, status: call.answeredAt == nil ? "FAILED" : "COMPLETED", unanswered: call.state == .ringing || call.state == .calling)
        return calls[callID] ?? call
    }

    /// The user answers a permission request (or a tester grants one): updates the
    /// state machine and, when `notify`, sends the `call_permission_reply` webhook.
    @discardableResult
    func grantPermission(user: String, accepted: Bool, permanent: Bool, automatic: Bool, contextID: String? = nil,
                         notify: Bool = true, number: SimulatedNumber? = nil) -> CallPermissions {
        let user = userKey(user)
        let at = now()
        var machine = permission(user)
        if accepted { machine.grant(permanent: permanent, at: at) } else { machine.revoke() }
        permissions[user] = machine
        if notify {
            let expiration = accepted && !permanent ? at.addingTimeInterval(settings.permissionLimits.temporaryDuration) : nil
            dispatcher.send(webhooks.permissionReply(user: self.user(user), accepted: accepted, permanent: permanent,
                                                     expiration: expiration, at: at, automatic: automatic,
                                                     contextID: contextID, number: number ?? settings.numbers[0]))
        }
        return machine.snapshot(at: at)
    }

    /// Revokes a user's permission silently (as when it expires or the user revokes in settings).
    func revokePermission(user: String) -> CallPermissions {
        let user = userKey(user)
        var machine = permission(user)
        machine.revoke()
        permissions[user] = machine
        return machine.snapshot(at: now())
    }

    /// The number `name` designates (id, digits or `+E164`); the first when nil.
    func simulatedNumber(_ name: String?) throws -> SimulatedNumber {
        guard let name, !name.isEmpty else { return settings.numbers[0] }
        guard let number = settings.numbers.first(where: { $0.isNamed(by: name) }) else {
            throw SimulatorError.badRequest("the simulator serves no business number '\(name.prefix(40))'")
        }
        return number
    }

    /// Makes the next `count` Graph requests fail with `fault`.
    func failNext(_ count: Int, with fault: GraphFault) -> Int {
        failNext(count, with: InjectedFault(kind: fault))
    }

    /// Makes the next `count` Graph requests (of `fault.action`, when set) fail with `fault`.
    func failNext(_ count: Int, with fault: InjectedFault) -> Int {
        faults.append(contentsOf: Array(repeating: fault, count: min(max(0, count), 1000)))
        return faults.count
    }

    /// A call by id.
    func call(_ callID: String) throws -> SimulatedCall {
        guard let call = calls[callID] else { throw SimulatorError.unknownCall(callID) }
        return call
    }

    /// All calls, newest first.
    func allCalls() -> [SimulatedCall] {
        calls.values.sorted { $0.createdAt > $1.createdAt }
    }

    /// Messages the business sent (permission requests and templates), oldest first.
    func messages() -> [JSONValue] { sentMessages }

    /// Ends every timer (at shutdown).
    func stopTimers() {
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
    }

    private func live(_ callID: String) throws -> SimulatedCall {
        let call = try call(callID)
        guard call.isLive else { throw SimulatorError.invalidState(callID: callID, state: "ended", action: "act on it") }
        return call
    }
}
