// One call, both legs, as a pure state machine: events in, actions out. No I/O,
// no logging, no awaiting; time arrives as timer events.
//
// Outbound (SIP → WhatsApp):
//   checkingPermission ─▶ openingMedia ─▶ setup(connect, RINGING, answer SDP,
//   ACCEPTED, media connected — any order) ─▶ answered ─▶ ended
// Inbound (WhatsApp → SIP):
//   openingMedia ─▶ ringing(stage n) ─▶ accepting(200 received) ─▶ connected ─▶ ended
// Callback (a refused caller, once the WhatsApp user grants permission):
//   openingMedia ─▶ ringingPhone ─▶ connecting(connect after the phone's 200) ─▶ connected ─▶ ended

/// The state of one call and the rules that move it.
public struct CallStateMachine: Sendable {
    /// The gateway's call id.
    public let id: CallID
    /// Which way the call goes.
    public let direction: BridgeDirection
    /// The ids to log every action with.
    public internal(set) var context: CallLogContext
    /// The behaviour settings.
    let settings: CallSettings
    /// Where the call is.
    var state: State
    /// Outbound: a `connect` is in flight (its result must still be handled after the call ended).
    var connectInFlight = false
    /// Outbound: the call ended while `connect` was in flight; terminate the wacid it returns.
    var terminateWhenConnected = false
    /// Timers armed and not yet fired or cancelled.
    var armedTimers: Set<CallTimer> = []
    /// Whether media legs were asked for (so ending closes them).
    var mediaRequested = false
    /// A transfer asked for and not yet carried out (attended: until its INVITE is answered).
    var pendingTransfer: PendingTransfer?
    /// Transfers asked for so far (the CDR rows' `seq`).
    var transferCount = 0
    /// Transfer legs placed so far (leg ids `<id>/xfer<n>`).
    var transferLegCount = 0
    /// The wacid, once known.
    var wacid: WACID? { context.wacid }

    /// Creates the machine of an outbound call for an admitted INVITE to `user`.
    /// `callbackWindow` is the caller's `permission_callback`.
    public init(id: CallID, outbound invite: IncomingInvite, user: WhatsAppUser, settings: CallSettings,
                callbackWindow: Duration? = nil) {
        self.id = id
        self.direction = .outbound
        self.settings = settings
        self.context = CallLogContext(callID: id, sipCallID: invite.sipCallID)
        self.state = .outbound(OutboundCall(invite: invite, user: user, callbackWindow: callbackWindow),
                               .checkingPermission)
    }

    /// Creates the machine of an inbound call from a user-initiated connect webhook.
    public init(id: CallID, inbound wacid: WACID, caller: WhatsAppUser, offer: String?,
                plan: RingPlan, settings: CallSettings, context callContext: InboundCallContext? = nil) {
        self.id = id
        self.direction = .inbound
        self.settings = settings
        self.context = CallLogContext(callID: id, wacid: wacid)
        let call = InboundCall(wacid: wacid, caller: caller, offer: offer, plan: plan, context: callContext)
        self.state = .inbound(call, .openingMedia)
    }

    /// Creates the machine of an echo test call for an admitted INVITE.
    public init(id: CallID, echo invite: IncomingInvite, settings: CallSettings) {
        self.id = id
        self.direction = .echo
        self.settings = settings
        self.context = CallLogContext(callID: id, sipCallID: invite.sipCallID)
        self.state = .echo(invite, .openingMedia)
    }

    /// True once both legs are ended (or being ended).
    public var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    /// True once the call is ended and no request whose result needs cleanup is outstanding:
    /// the driver may forget the call.
    public var isFinished: Bool { isEnded && !connectInFlight }

    /// How the call ended, once it has.
    public var ending: CallEnding? {
        if case .ended(let ending) = state { return ending }
        return nil
    }

    /// A short name of the current phase, for logs and tests.
    public var phase: String { state.name }

    /// The first actions of the call.
    public mutating func start() -> [CallControlAction] {
        switch state {
        case .outbound(let call, _): return startOutbound(call)
        case .inbound(let call, _): return startInbound(call)
        case .echo(let invite, _): return startEcho(invite)
        case .callback(let call, _): return startCallback(call)
        case .internalCall(let call, _): return startInternal(call)
        case .transferred, .ended: return []
        }
    }

    /// Feeds one event; returns what to do. A switch over the events, each case to its own method.
    public mutating func handle(_ event: CallEvent) -> [CallControlAction] {
        if direction == .internal { return internalEvent(event) }
        switch event {
        case .permissionChecked(let permission): return permissionChecked(permission)
        case .permissionCheckFailed(let failure): return permissionCheckFailed(failure)
        case .outboundMediaOpened(let session):
            return direction == .callback ? callbackMediaOpened(session) : outboundMediaOpened(session)
        case .inboundMediaOpened(let session): return inboundMediaOpened(session)
        case .echoMediaOpened(let answer): return echoMediaOpened(answer)
        case .internalMediaOpened: return []
        case .mediaOpenFailed(let failure): return mediaOpenFailed(failure)
        case .connectSucceeded(let wacid): return connectSucceeded(wacid)
        case .connectFailed(let failure): return connectFailed(failure)
        case .whatsAppResult(let operation, let failure): return whatsAppResult(operation, failure)
        case .webhook(let event): return webhook(event)
        case .sip(let leg, let event): return sipEvent(event, on: leg)
        case .media(let event): return mediaEvent(event)
        case .timer(let timer): return timerFired(timer)
        case .transferResolved(let plan): return transferResolved(plan)
        case .transferRefused(let status, let detail): return transferRefused(status: status, detail: detail)
        case .businessOffered(let offer): return businessOffered(offer)
        case .businessOfferFailed(let failure): return businessOfferFailed(failure)
        case .shutdown: return shutdown()
        case .hangUp: return operatorHangUp()
        }
    }

    /// Dispatches a webhook to the direction's handler.
    mutating func webhook(_ event: WhatsAppEvent) -> [CallControlAction] {
        switch event {
        case .status(let wacid, let status, _):
            return direction == .callback ? callbackStatus(status, wacid: wacid) : whatsAppStatus(status, wacid: wacid)
        case .answer(let wacid, let sdp, _):
            return direction == .callback ? callbackAnswer(sdp, wacid: wacid) : whatsAppAnswer(sdp, wacid: wacid)
        case .terminate(_, _, _, let errors, _): return whatsAppTerminated(errors: errors)
        case .userCall, .permissionReply, .userMessage: return []
        }
    }

    /// Dispatches a SIP leg event to its handler.
    mutating func sipEvent(_ event: SIPLegEvent, on leg: SIPLegID) -> [CallControlAction] {
        if isTransferLeg(leg), let actions = transferLegEvent(event, on: leg) { return actions }
        switch event {
        case .cancelled: return sipCancelled(leg)
        case .acknowledged(let sdp): return sipAcknowledged(leg, sdp: sdp)
        case .bye: return sipBye(leg)
        case .progress(let status, _): return sipProgress(leg, status: status)
        case .answered(let sdp, let sipCallID, let by):
            if direction == .callback { return callbackAnswered(leg, sdp: sdp, sipCallID: sipCallID) }
            return sipAnswered(leg, sdp: sdp, sipCallID: sipCallID, by: by)
        case .failed(let status, let reason): return sipFailed(leg, status: status, reason: reason)
        case .dtmf(let digit): return sipDTMF(digit, on: leg)
        case .offered(let sdp): return sipOffered(sdp, on: leg)
        case .transferRequested(let request): return transferRequested(request, on: leg)
        case .mediaState(let state): return businessMediaState(state, on: leg)
        }
    }

    /// Dispatches a media event to its handler.
    mutating func mediaEvent(_ event: MediaEvent) -> [CallControlAction] {
        switch event {
        case .connected: return direction == .callback ? callbackMediaConnected() : mediaConnected()
        case .failed(let reason): return mediaFailed(reason, reason: .mediaFailure)
        case .rtpTimeout(let side): return mediaFailed("no RTP from \(side.rawValue)", reason: .mediaFailure)
        case .dtmf(let digit, let side, let relayed): return mediaDTMF(digit, from: side, relayed: relayed)
        }
    }
}
