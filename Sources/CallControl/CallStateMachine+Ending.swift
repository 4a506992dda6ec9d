// Ending a call on both legs exactly once, whoever ends it first.

extension CallStateMachine {
    /// Ends the call: answers or closes the SIP leg (unless `sipDone`), rejects or
    /// terminates the WhatsApp leg (unless `whatsAppDone`), closes media, disarms
    /// timers and records the ending. Does nothing when already ended.
    mutating func end(_ ending: CallEnding, response: SIPResponse?, sipDone: Bool = false,
                      whatsAppDone: Bool = false) -> [CallControlAction] {
        if case .ended = state { return [] }
        var actions = endPendingTransfer()
        switch state {
        case .ended:
            return []
        case .transferred(let call, let phase):
            actions += interruptedTransfer(call)
            if !sipDone { actions += endTransferredSIP(phase) }
            if !whatsAppDone, let wacid = context.wacid { actions.append(.terminate(wacid)) }
        case .outbound(let call, let phase):
            if !sipDone { actions += endOutboundSIP(call, phase, response: response) }
            if !whatsAppDone { actions += endOutboundWhatsApp(phase) }
        case .inbound(let call, let phase):
            if !sipDone { actions += endInboundSIP(phase) }
            if !whatsAppDone { actions += endInboundWhatsApp(call, phase) }
        case .echo(let invite, let phase):
            actions += endEcho(invite, phase, response: response, sipDone: sipDone)
        case .internalCall(let call, let phase):
            if !sipDone { actions += endInternalSIP(call, phase, response: response) }
        case .callback(_, let phase):
            if !sipDone { actions += endCallbackSIP(phase, response: response) }
            if !whatsAppDone { actions += endCallbackWhatsApp(phase) }
        }
        if mediaRequested { actions.append(.closeMedia) }
        for timer in armedTimers.sorted(by: { $0.description < $1.description }) {
            actions.append(.cancelTimer(timer))
        }
        armedTimers.removeAll()
        // The SIP status recorded is the final response the SIP leg got from
        // wagate. A leg that was answered gets a BYE (the response's reason at
        // most as its Reason header), and its row claims no status.
        var recorded = ending
        if recorded.sipStatus == nil, let response, Self.responds(actions, with: response) {
            recorded.sipStatus = response.status
        }
        actions.append(.record(.ended(recorded)))
        state = .ended(recorded)
        return actions
    }

    /// Whether `actions` answer a SIP leg with `response`'s final status.
    private static func responds(_ actions: [CallControlAction], with response: SIPResponse) -> Bool {
        actions.contains { action in
            if case .respond(_, let sent) = action { sent.status == response.status } else { false }
        }
    }

    private func endOutboundSIP(_ call: OutboundCall, _ phase: OutboundPhase,
                                response: SIPResponse?) -> [CallControlAction] {
        switch phase {
        case .answered:
            return [.hangUp(call.invite.leg, response?.reason)]
        case .checkingPermission, .openingMedia, .setup:
            let final = response ?? SIPResponse(status: 500)
            return [.respond(call.invite.leg, final)]
        }
    }

    private mutating func endOutboundWhatsApp(_ phase: OutboundPhase) -> [CallControlAction] {
        switch phase {
        case .checkingPermission, .openingMedia:
            return []
        case .setup, .answered:
            if let wacid = context.wacid { return [.terminate(wacid)] }
            if connectInFlight { terminateWhenConnected = true }
            return []
        }
    }

    private func endInboundSIP(_ phase: InboundPhase) -> [CallControlAction] {
        switch phase {
        case .openingMedia: []
        case .ringing(let ringing): [.cancel(ringing.leg, nil)]
        case .accepting(let leg, _): [.acknowledge(leg), .hangUp(leg, nil)]
        case .connected(let leg, _): [.hangUp(leg, nil)]
        }
    }

    private func endInboundWhatsApp(_ call: InboundCall, _ phase: InboundPhase) -> [CallControlAction] {
        switch phase {
        case .openingMedia, .ringing: [.reject(call.wacid)]
        case .accepting, .connected: [.terminate(call.wacid)]
        }
    }

    /// Arms `timer`; remembered so that ending the call disarms it.
    mutating func arm(_ timer: CallTimer, after delay: Duration) -> CallControlAction {
        armedTimers.insert(timer)
        return .startTimer(timer, after: delay)
    }

    /// Disarms `timer` if armed.
    mutating func disarm(_ timer: CallTimer) -> [CallControlAction] {
        armedTimers.remove(timer) == nil ? [] : [.cancelTimer(timer)]
    }
}
