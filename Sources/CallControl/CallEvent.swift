// The inputs of a CallStateMachine.

/// Something that happened to one call: SIP, webhooks, Graph results, media, timers.
public enum CallEvent: Sendable, Equatable {
    /// Outbound: the permission check answered (from the cache or the API).
    case permissionChecked(CallPermission)
    /// Outbound: the permission check failed; the call goes on and `connect` decides.
    case permissionCheckFailed(WhatsAppFailure)
    /// Outbound: the media bridge produced the WebRTC offer and the SIP answer.
    case outboundMediaOpened(OutboundMediaSession)
    /// Inbound: the media bridge produced the SIP offer and the WebRTC answer.
    case inboundMediaOpened(InboundMediaSession)
    /// Echo test: the echo media is listening; the SIP answer to send.
    case echoMediaOpened(sipAnswer: String)
    /// Internal call: media answered the caller's offer (or chose direct media).
    case internalMediaOpened(InternalMediaSession)
    /// The media bridge could not open the call's legs.
    case mediaOpenFailed(MediaFailure)
    /// Outbound: `connect` answered with the wacid.
    case connectSucceeded(WACID)
    /// Outbound: `connect` failed.
    case connectFailed(WhatsAppFailure)
    /// A `pre_accept`, `accept`, `reject` or `terminate` finished (nil failure: success).
    case whatsAppResult(WhatsAppOperation, WhatsAppFailure?)
    /// A call webhook for this call.
    case webhook(WhatsAppEvent)
    /// Something on one of the call's SIP legs.
    case sip(SIPLegID, SIPLegEvent)
    /// Something from the media bridge.
    case media(MediaEvent)
    /// A timer the call armed fired.
    case timer(CallTimer)
    /// Where a transfer (or its fallback) rings.
    case transferResolved(TransferPlan)
    /// A transfer's target was refused (unknown, a WhatsApp user, nobody available).
    case transferRefused(status: Int, detail: String)
    /// Media's fresh SIP offer for a transfer target.
    case businessOffered(String)
    /// Media could not offer the business side again.
    case businessOfferFailed(MediaFailure)
    /// The gateway is shutting down (drain time over): end the call on both legs.
    case shutdown
    /// An operator hung the call up (admin API): end it on both legs.
    case hangUp
}
