// The outputs of a CallStateMachine, performed by the CallControl actor.

/// One thing the driver must do for a call, in order.
public enum CallControlAction: Sendable, Equatable {
    /// Respond to the incoming INVITE.
    case respond(SIPLegID, SIPResponse)
    /// Place an outgoing INVITE.
    case placeCall(OutgoingSIPCall)
    /// CANCEL an outgoing INVITE.
    case cancel(SIPLegID, SIPReason?)
    /// ACK the 2xx of an outgoing INVITE.
    case acknowledge(SIPLegID)
    /// BYE an established dialog.
    case hangUp(SIPLegID, SIPReason?)
    /// Send a DTMF digit by SIP INFO.
    case sendSIPDTMF(DTMFDigit, SIPLegID)
    /// Report a transfer's progress to the leg that asked for it (NOTIFY sipfrag).
    case notifyTransfer(SIPLegID, status: Int, final: Bool)
    /// Look up where a transfer rings (contacts, limits); the answer comes back as
    /// ``CallEvent/transferResolved(_:)`` or ``CallEvent/transferRefused(status:detail:)``.
    /// `caller` is the WhatsApp user's address, the caller id of the new INVITE.
    case resolveTransfer(TransferLookup, caller: String)
    /// Ask media for a fresh SIP offer on the call's RTP port (``CallEvent/businessOffered(_:)``).
    case reofferBusiness
    /// Detach the business side: the WhatsApp user hears `filler` until bridging resumes.
    case detachBusiness(BusinessFiller)
    /// Holds or mutes the business side at the bridge (a browser's `hold`/`mute`).
    case setBusinessMedia(BusinessMediaState)
    /// The users and trunks the call counts against from now on (`max_calls`); nil
    /// goes back to the owners the call had before its last transfer attempt.
    case setOwners(Set<String>?)
    /// Check the user's call permission (cache first).
    case checkPermission(user: WhatsAppUser)
    /// Send the call permission request message.
    case sendPermissionRequest(user: WhatsAppUser, text: String)
    /// Remember to call the refused caller back if the user grants permission in time.
    /// It follows the `sendPermissionRequest` and precedes the refusal of the same batch:
    /// call control arms it only when that request can reach the user, and then adds
    /// to the refusal's Warning and Reason that a callback is armed.
    case armCallback(CallbackRequest)
    /// Forget a cached permission (a connect failed for want of permission).
    case invalidatePermission(user: WhatsAppUser)
    /// `connect` to `user` with the WebRTC offer.
    case connect(user: WhatsAppUser, offer: String)
    /// `pre_accept` with the WebRTC answer.
    case preAccept(WACID, answer: String)
    /// `accept` with the WebRTC answer.
    case accept(WACID, answer: String)
    /// `reject`.
    case reject(WACID)
    /// `terminate`.
    case terminate(WACID)
    /// A `connect` timed out: the call may exist at Meta; a late webhook for it must be terminated.
    case rememberUnknownConnect
    /// Open the media legs from the SIP offer.
    case openOutboundMedia(sipOffer: String?)
    /// Open the media legs from Meta's offer.
    case openInboundMedia(whatsAppOffer: String, webRTCTargets: Bool)
    /// Internal call: open media from the caller's offer (``CallEvent/internalMediaOpened(_:)``).
    case openInternalMedia(callerOffer: String?, browserTargets: Bool)
    /// Start ICE/DTLS on the WebRTC leg.
    case startWhatsAppMedia(remoteAnswer: String?)
    /// Apply the SIP peer's SDP answer to our offer (a 200's, or a late-offer ACK's).
    case setSIPRemote(String)
    /// Ask media for the answer to a re-INVITE/UPDATE offer (our offer when nil)
    /// and send it on the leg: 200 with it, or the refusal media gives (488).
    case answerOffer(SIPLegID, offer: String?)
    /// Answer a re-INVITE/UPDATE on the leg without asking media (491, 481).
    case respondInDialog(SIPLegID, SIPResponse)
    /// Play local ringback to the SIP caller.
    case startRingback
    /// Bridge audio both ways.
    case startBridging
    /// Send DTMF in-band towards a side.
    case sendMediaDTMF(DTMFDigit, toward: MediaSide)
    /// Release the media legs.
    case closeMedia
    /// Echo test: open the echo media from the phone's offer.
    case openEchoMedia(sipOffer: String?)
    /// Echo test: answer a re-INVITE/UPDATE offer with the echo media, as `answerOffer`.
    case answerEchoOffer(SIPLegID, offer: String?)
    /// Echo test: apply the phone's answer to the offer in our 200 (late offer).
    case setEchoRemote(String)
    /// Echo test: release the echo media.
    case closeEchoMedia
    /// Arm a timer.
    case startTimer(CallTimer, after: Duration)
    /// Disarm a timer.
    case cancelTimer(CallTimer)
    /// Record a step of the call.
    case record(CallRecordEvent)
}

extension CallControlAction {
    /// True for the actions that end the SIP leg (a final non-2xx response, CANCEL, BYE).
    public var endsSIPLeg: Bool {
        switch self {
        case .respond(_, let response): response.status >= 300
        case .cancel, .hangUp: true
        default: false
        }
    }

    /// True for the actions that end the WhatsApp leg (`reject`, `terminate`).
    public var endsWhatsAppLeg: Bool {
        switch self {
        case .reject, .terminate: true
        default: false
        }
    }
}
