// The echo test as a call of its own: a phone dials `echo_extension` and hears
// itself. It has no WhatsApp leg, but it is admitted, counted, drained, timed
// out and recorded like any other call.
//
//   openingMedia ─▶ [ringing (echo_answer_delay)] ─▶ answered ─▶ ended

extension CallStateMachine {
    /// The phases of an echo test call.
    enum EchoPhase: Sendable {
        /// Waiting for the echo media to listen.
        case openingMedia
        /// 180 sent; the 200 with this SDP goes when the answer delay is over.
        case ringing(sipAnswer: String)
        /// 200 sent; echoing.
        case answered

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .openingMedia: "opening_media"
            case .ringing: "ringing"
            case .answered: "answered"
            }
        }
    }

    /// Records the call and asks for the echo media.
    mutating func startEcho(_ invite: IncomingInvite) -> [CallControlAction] {
        let start = CallStart(direction: .echo, from: invite.origin.description, to: invite.dialled,
                              sipCallID: invite.sipCallID)
        return [.record(.started(start)), .openEchoMedia(sipOffer: invite.sdpOffer)]
    }

    /// The echo media listens: answer now, or ring first.
    mutating func echoMediaOpened(_ sipAnswer: String) -> [CallControlAction] {
        guard case .echo(let invite, .openingMedia) = state else { return [] }
        if settings.echoAnswerDelay > .zero {
            state = .echo(invite, .ringing(sipAnswer: sipAnswer))
            return [.respond(invite.leg, SIPResponse(status: 180)), .record(.ringing),
                    arm(.echoAnswer, after: settings.echoAnswerDelay)]
        }
        state = .echo(invite, .answered)
        return [.respond(invite.leg, SIPResponse(status: 200, sdp: sipAnswer)), .record(.answered)]
    }

    /// The ringing time is over: 200.
    mutating func echoAnswerDue() -> [CallControlAction] {
        guard case .echo(let invite, .ringing(let sipAnswer)) = state else { return [] }
        state = .echo(invite, .answered)
        return [.respond(invite.leg, SIPResponse(status: 200, sdp: sipAnswer)), .record(.answered)]
    }

    /// CANCEL before the 200: 487.
    mutating func echoCancelled(_ leg: SIPLegID) -> [CallControlAction] {
        guard case .echo(let invite, let phase) = state, invite.leg == leg else { return [] }
        if case .answered = phase { return [] }
        let ending = CallEnding(reason: .cancelled, endedBy: .sip, sipStatus: 487)
        return end(ending, response: SIPResponse(status: 487, phrase: "Request Terminated"))
    }

    /// The SIP side of ending an echo call: a final response before the 200, BYE after
    /// it (RTP timeout, shutdown), and the echo media released. The release runs in the
    /// call's signalling lane after the open, so it also frees media still being opened.
    func endEcho(_ invite: IncomingInvite, _ phase: EchoPhase, response: SIPResponse?,
                 sipDone: Bool) -> [CallControlAction] {
        var actions: [CallControlAction] = []
        if !sipDone {
            switch phase {
            case .openingMedia, .ringing: actions.append(.respond(invite.leg, response ?? SIPResponse(status: 500)))
            case .answered: actions.append(.hangUp(invite.leg, response?.reason))
            }
        }
        return actions + [.closeEchoMedia]
    }
}
