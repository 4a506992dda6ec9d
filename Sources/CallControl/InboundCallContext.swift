/// What a WhatsApp user came through when calling the business: a call button's
/// CTA payload or a deeplink's payload (Meta's `connect` webhook). Shown to a
/// ringing browser agent; phones do not get it.
public struct InboundCallContext: Sendable, Equatable {
    /// `cta_payload`, when the user came through a call button.
    public var ctaPayload: String?
    /// `deeplink_payload`, when the user came through a call deeplink.
    public var deeplinkPayload: String?

    /// Creates a context; nil when Meta sent neither payload.
    public init?(ctaPayload: String?, deeplinkPayload: String?) {
        guard ctaPayload != nil || deeplinkPayload != nil else { return nil }
        self.ctaPayload = ctaPayload
        self.deeplinkPayload = deeplinkPayload
    }
}
