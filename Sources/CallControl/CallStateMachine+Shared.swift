// Events handled the same way, or nearly, in both directions: hang-ups,
// failures, DTMF, timers and shutdown.

extension CallStateMachine {
    /// Media could not open the legs.
    mutating func mediaOpenFailed(_ failure: MediaFailure) -> [CallControlAction] {
        let ending = CallEnding(reason: .mediaFailure, endedBy: .gateway, detail: failure.description)
        switch state {
        case .outbound(_, .openingMedia):
            return end(ending, response: FailureMapping.response(for: failure))
        case .inbound(_, .openingMedia):
            return end(ending, response: nil)
        case .echo(_, .openingMedia), .callback(_, .openingMedia):
            return end(ending, response: FailureMapping.response(for: failure))
        default:
            return []
        }
    }

    /// A terminate webhook: WhatsApp ended the call.
    mutating func whatsAppTerminated(errors: [WhatsAppCallError]) -> [CallControlAction] {
        let code = errors.first?.code
        let detail = FailureMapping.terminateDetail(errors)
        switch state {
        case .outbound(_, .setup):
            let ending = CallEnding(reason: errors.isEmpty ? .noAnswer : .whatsAppError, endedBy: .whatsApp,
                                    sipStatus: 480, whatsAppCode: code, detail: detail)
            let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable", warning: detail,
                                       reason: FailureMapping.sipReason(480, detail ?? "WhatsApp call ended"))
            return end(ending, response: response, whatsAppDone: true)
        case .outbound(_, .answered), .inbound(_, .accepting), .inbound(_, .connected), .callback(_, .connected),
             .transferred:
            let ending = CallEnding(reason: errors.isEmpty ? .normal : .whatsAppError, endedBy: .whatsApp,
                                    whatsAppCode: code, detail: detail)
            return end(ending, response: nil, whatsAppDone: true)
        case .inbound(_, .openingMedia), .inbound(_, .ringing):
            let ending = CallEnding(reason: .cancelled, endedBy: .whatsApp, whatsAppCode: code, detail: detail)
            return end(ending, response: nil, whatsAppDone: true)
        case .callback(_, .connecting):
            let ending = CallEnding(reason: errors.isEmpty ? .noAnswer : .whatsAppError, endedBy: .whatsApp,
                                    whatsAppCode: code, detail: detail)
            let reason = FailureMapping.sipReason(480, detail ?? "WhatsApp call ended")
            return end(ending, response: SIPResponse(status: 480, reason: reason), whatsAppDone: true)
        case .outbound(_, .checkingPermission), .outbound(_, .openingMedia), .echo, .ended, .internalCall,
             .callback(_, .openingMedia), .callback(_, .ringingPhone):
            return []
        }
    }

    /// BYE from the SIP peer on the established leg.
    mutating func sipBye(_ leg: SIPLegID) -> [CallControlAction] {
        guard ownsEstablished(leg) else { return [] }
        return end(CallEnding(reason: .normal, endedBy: .sip), response: nil, sipDone: true)
    }

    /// A SIP leg failed (timeout, transport, final error).
    mutating func sipFailed(_ leg: SIPLegID, status: Int, reason: String?) -> [CallControlAction] {
        if case .echo(let invite, _) = state {
            guard invite.leg == leg else { return [] }
            return end(CallEnding(reason: .sipError, endedBy: .sip, sipStatus: status, detail: reason), response: nil,
                       sipDone: true)
        }
        if direction == .callback { return callbackSIPFailed(leg, status: status, reason: reason) }
        guard case .outbound(let call, let phase) = state else {
            return inboundSIPFailed(leg, status: status, reason: reason)
        }
        guard call.invite.leg == leg else { return [] }
        let ending = CallEnding(reason: .sipError, endedBy: .sip, sipStatus: status, detail: reason)
        if case .answered = phase { return end(ending, response: nil, sipDone: true) }
        return end(ending, response: nil, sipDone: true)
    }

    /// A DTMF digit by SIP INFO.
    mutating func sipDTMF(_ digit: DTMFDigit, on leg: SIPLegID) -> [CallControlAction] {
        guard direction != .echo, ownsEstablished(leg) else { return [] }
        return [.sendMediaDTMF(digit, toward: .whatsApp)]
    }

    /// A re-INVITE or UPDATE on the call's SIP leg: the call's media answers it
    /// (WhatsApp refuses renegotiation, so it stops at the bridge). Before the
    /// leg is established it gets 491 (RFC 3261 §14.2: the caller may retry),
    /// as Asterisk and FreeSWITCH answer an offer they cannot take up now;
    /// once the call has ended, 481.
    mutating func sipOffered(_ sdp: String?, on leg: SIPLegID) -> [CallControlAction] {
        if isEnded {
            return [.respondInDialog(leg, SIPResponse(status: 481, phrase: "Call/Transaction Does Not Exist"))]
        }
        guard ownsEstablished(leg) else {
            return [.respondInDialog(leg, SIPResponse(status: 491, phrase: "Request Pending"))]
        }
        return direction == .echo ? [.answerEchoOffer(leg, offer: sdp)] : [.answerOffer(leg, offer: sdp)]
    }

    /// ACK of our 2xx on the established leg; when our 2xx carried the offer
    /// (late-offer INVITE, re-INVITE without SDP), its SDP is the answer for media.
    mutating func sipAcknowledged(_ leg: SIPLegID, sdp: String?) -> [CallControlAction] {
        guard ownsEstablished(leg), let sdp else { return [] }
        return direction == .echo ? [.setEchoRemote(sdp)] : [.setSIPRemote(sdp)]
    }

    /// True when `leg` is the call's SIP leg and it is established (answered).
    func ownsEstablished(_ leg: SIPLegID) -> Bool {
        switch state {
        case .outbound(let call, .answered): call.invite.leg == leg
        case .inbound(_, .accepting(let current, _)), .inbound(_, .connected(let current, _)): current == leg
        case .echo(let invite, .answered): invite.leg == leg
        case .callback(_, .connecting), .callback(_, .connected): callbackLeg == leg
        case .transferred(_, .connected(let current)): current == leg
        default: false
        }
    }

    /// The established SIP leg, if any.
    var establishedLeg: SIPLegID? {
        switch state {
        case .outbound(let call, .answered): call.invite.leg
        case .inbound(_, .connected(let leg, _)): leg
        case .callback(_, .connected): callbackLeg
        case .transferred(_, .connected(let leg)): leg
        default: nil
        }
    }

    /// ICE/DTLS failure or RTP timeout.
    mutating func mediaFailed(_ detail: String, reason: CallEndReason) -> [CallControlAction] {
        let ending = CallEnding(reason: reason, endedBy: .gateway, detail: detail)
        switch state {
        case .outbound(_, .setup):
            return end(ending, response: FailureMapping.response(for: MediaFailure(.setupFailed, detail)))
        case .outbound(_, .answered), .inbound(_, .ringing), .inbound(_, .accepting), .inbound(_, .connected),
             .echo(_, .answered), .callback(_, .ringingPhone), .callback(_, .connecting), .callback(_, .connected),
             .transferred:
            return end(ending, response: nil)
        default:
            return []
        }
    }

    /// A DTMF digit the bridge saw.
    mutating func mediaDTMF(_ digit: DTMFDigit, from side: MediaSide, relayed: Bool) -> [CallControlAction] {
        guard !relayed, let leg = establishedLeg else { return [] }
        switch side {
        case .whatsApp: return [.sendSIPDTMF(digit, leg)]
        case .sip: return [.sendMediaDTMF(digit, toward: .whatsApp)]
        }
    }

    /// A timer fired; stale timers are ignored.
    mutating func timerFired(_ timer: CallTimer) -> [CallControlAction] {
        guard armedTimers.remove(timer) != nil else { return [] }
        switch (timer, state) {
        case (.transferRing(let attempt), _):
            return transferTimerFired(attempt)
        case (.answerTimeout, .outbound):
            let ending = CallEnding(reason: .noAnswer, endedBy: .gateway, detail: "no answer from WhatsApp user")
            let response = SIPResponse(status: 480, phrase: "Temporarily Unavailable",
                                       reason: FailureMapping.sipReason(480, "No answer"))
            return end(ending, response: response)
        case (.mediaSetup, .outbound(_, .setup)):
            return mediaFailed("ICE/DTLS not complete in time", reason: .mediaFailure)
        case (.setupBudget, .outbound):
            return setupBudgetSpent()
        case (.echoAnswer, .echo):
            return echoAnswerDue()
        case (_, .inbound):
            return inboundTimerFired(timer)
        case (_, .callback):
            return callbackTimerFired(timer)
        default:
            return []
        }
    }

    /// Drain time over: end the call on both legs.
    mutating func shutdown() -> [CallControlAction] {
        let ending = CallEnding(reason: .shutdown, endedBy: .gateway, detail: "gateway shutting down")
        let response = SIPResponse(status: 503, warning: "gateway shutting down",
                                   reason: FailureMapping.sipReason(503, "Gateway shutting down"))
        return end(ending, response: response)
    }
}
