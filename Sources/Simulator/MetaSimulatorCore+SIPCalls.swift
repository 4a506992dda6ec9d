import Foundation
import WhatsAppCloud

/// What the SIP-mode Meta is told about a SIP call's state, in order.
enum SimulatedSIPCallEvent: Sendable, Equatable {
    /// The user answered a business-initiated call.
    case answered(String)
    /// The user declined (busy: 486, else 603).
    case rejected(String, busy: Bool)
    /// The call ended (user hang-up, timeout); the SIP side ends its dialog.
    case ended(String)

    /// The call's wacid.
    var wacid: String {
        switch self {
        case .answered(let wacid), .rejected(let wacid, _), .ended(let wacid): wacid
        }
    }
}

/// Why Meta refuses a business-initiated INVITE before it rings: a SIP status.
struct SimulatedSIPRefusal: Error, Sendable, Equatable {
    /// The status.
    var status: Int
    /// The reason phrase.
    var reason: String
}

/// SIP-mode calls in the call table: the same calls, permissions and limits as
/// Graph calls (MetaSimulatorCore+Calls.swift), signalled by the SIP side.
extension MetaSimulatorCore {
    /// A number's signalling: SIP exactly when its `calling.sip.status` is ENABLED,
    /// which is also what turns Graph calling off (131055).
    func signaling(of number: SimulatedNumber) -> SimulatedSignaling {
        callingSettings(of: number).sip?.status?.uppercased() == "ENABLED" ? .sip : .graph
    }

    /// Control: flips a number's signalling; returns its settings after.
    func setSignaling(_ mode: SimulatedSignaling, of number: SimulatedNumber) -> CallingSettings {
        var sip = callingSettings(of: number).sip ?? .init(status: nil)
        sip.status = mode == .sip ? "ENABLED" : "DISABLED"
        if mode == .sip, sip.servers == nil, let facts = number.sip {
            sip.servers = [.init(hostname: facts.domain, port: facts.port)]
        }
        return merge(CallingSettings(sip: sip), into: number)
    }

    /// The number whose digits are `digits`.
    func number(digits: String) -> SimulatedNumber? {
        settings.numbers.first { $0.displayPhoneNumber == digits }
    }

    /// Sends a `calls` webhook, unless the call is signalled over SIP and the
    /// knob to send those too is off.
    func sendCallWebhook(_ payload: JSONValue, for call: SimulatedCall) {
        if call.signaling == .sip && !settings.metaSIP.callWebhooks { return }
        dispatcher.send(payload)
    }

    /// Tells the SIP side about a SIP call.
    func notifySIP(_ event: SimulatedSIPCallEvent, for call: SimulatedCall) {
        guard call.signaling == .sip else { return }
        sipEventSink.yield(event)
    }

    /// A business-initiated INVITE passed the digest and domain checks: Meta's
    /// Graph-side rules decide (permission 403, not on WhatsApp 404, duplicate
    /// 486, limits 503); then the user's phone rings. Returns the call and the
    /// user's SDP answer.
    func sipBusinessCall(number: SimulatedNumber, user: String, offer: String,
                         sipCallID: String) async throws(SimulatedSIPRefusal) -> (SimulatedCall, String) {
        let at = now()
        let kind = try sipMediaKind(for: number)
        guard !settings.uncallableUsers.contains(user) else { throw .init(status: 404, reason: "Not Found") }
        if permission(user).callRefusal(at: at) != nil { throw .init(status: 403, reason: "Forbidden") }
        let live = calls.values.filter { $0.isLive && $0.number == number.phoneNumberID }
        guard !live.contains(where: { $0.user == user }) else { throw .init(status: 486, reason: "Busy Here") }
        guard live.count < settings.maxConcurrentCalls else { throw .init(status: 503, reason: "Service Unavailable") }
        guard takeConnectSlot(number: number, at: at) else { throw .init(status: 503, reason: "Service Unavailable") }
        var call = SimulatedCall(id: MetaIDs.callID(), direction: .businessInitiated, user: user, state: .calling,
                                 createdAt: at, businessSDP: offer)
        call.number = number.phoneNumberID
        call.signaling = .sip
        call.sip["call_id"] = .string(sipCallID)
        calls[call.id] = call
        let answer: String
        do {
            answer = try await sipAnswer(callID: call.id, offer: offer, kind: kind)
        } catch {
            calls[call.id]?.state = .ended
            throw .init(status: 488, reason: "Not Acceptable Here")
        }
        call.userSDP = answer
        call.state = .ringing
        calls[call.id] = call
        logger.info("simulated SIP business call ringing", metadata: ["wacid": "\(call.id)", "sip_call_id": "\(sipCallID)"])
        let id = call.id
        if let delay = settings.autoAnswerAfter {
            schedule(id, after: delay) { core in _ = try? await core.userAnswers(id) }
        } else {
            schedule(id, after: settings.ringTimeout) { core in await core.expireRinging(id) }
        }
        return (call, answer)
    }

    /// A user calls a SIP-mode number: the call and the user's offer (the SIP side sends the INVITE).
    func sipUserCall(_ user: String, name: String?, businessNumber: String?) async throws -> (SimulatedCall, SimulatedNumber) {
        let number = try simulatedNumber(businessNumber)
        guard signaling(of: number) == .sip else {
            throw SimulatorError.badRequest("number \(number.displayPhoneNumber) is not in SIP mode")
        }
        var profile = try registerUser(user, body: name.map { ["name": .string($0)] } ?? .object([:]))
        guard let phone = profile.phone, !phone.isEmpty else {
            throw SimulatorError.badRequest("a SIP call needs the user's phone number")
        }
        profile.name = name ?? profile.name
        let id = MetaIDs.callID()
        let offer: String
        do {
            offer = try await sipOffer(callID: id, kind: sipMediaKind(for: number))
        } catch let refusal as SimulatedSIPRefusal {
            throw SimulatorError.media("SDES media is not supported by this simulator (\(refusal.status))")
        } catch {
            throw SimulatorError.media("\(error)")
        }
        var call = SimulatedCall(id: id, direction: .userInitiated, user: phone, state: .offered, createdAt: now(),
                                 userSDP: offer)
        call.number = number.phoneNumberID
        call.signaling = .sip
        calls[id] = call
        openWindow(user: phone, number: number, at: call.createdAt)
        return (call, number)
    }

    /// The business answered a user's SIP call (200 OK with `sdp`).
    func sipUserCallAccepted(_ callID: String, sdp: String) {
        guard var call = calls[callID], call.isLive, call.answeredAt == nil else { return }
        call.businessSDP = sdp
        call.state = .accepted
        call.answeredAt = now()
        calls[callID] = call
        cancelTimer(callID)
        // After an early SDP the leg is connected already and starts sending; it keeps the early SDP.
        let media = self.media
        Task { await media.start(callID: callID, remoteSDP: sdp) }
    }

    /// Records SIP facts of a call (shown under `sip` by `/control/calls`).
    func recordSIP(_ callID: String, _ key: String, _ value: JSONValue) {
        calls[callID]?.sip[key] = value
    }

    /// The SIP side ended a call (BYE, CANCEL, failure); no SIP event is sent back.
    func sipEnded(_ callID: String, failed: Bool) {
        guard let call = calls[callID], call.isLive else { return }
        calls[callID]?.sip["ended_by"] = "sip"
        end(callID, status: failed || call.answeredAt == nil ? "FAILED" : "COMPLETED",
            unanswered: call.direction == .businessInitiated && call.answeredAt == nil)
    }
}

extension MetaSimulatorCore {
    /// A number's settings at start: ``initialCalling(codecs:)``, and in SIP mode
    /// `sip.status` ENABLED with its SIP server and SRTP key exchange.
    static func initialCalling(for number: SimulatedNumber, settings: MetaSimulatorSettings) -> CallingSettings {
        var calling = initialCalling(codecs: number.additionalCodecs ?? settings.additionalCodecs)
        if let facts = number.sip {
            calling.sip = .init(status: number.signaling == .sip ? "ENABLED" : "DISABLED",
                                servers: [.init(hostname: facts.domain, port: facts.port)])
            calling.srtpKeyExchangeProtocol = facts.srtp.rawValue
        } else if number.signaling == .sip {
            calling.sip = .init(status: "ENABLED")
        }
        return calling
    }
}
