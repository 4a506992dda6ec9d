// What media answers for an internal call: where wagate's media sits, if anywhere.

/// Media's answer to ``MediaControl/openInternal(_:callerOffer:browserTargets:context:)``.
///
/// Anchored (a browser on either side): a bridge whose first leg faces the caller
/// (a `.browser` WebRTC leg for a calling browser) and whose business side is the
/// party that answers, so `forkOffer` is wagate's own SIP offer on the bridge's RTP
/// port and `callerAnswer` is wagate's answer to the caller. Direct (phone ⇄
/// phone): no media at wagate, the caller's offer is relayed to the forks as it is
/// and the winner's answer goes back to the caller (like Asterisk `direct_media`).
public struct InternalMediaSession: Sendable, Equatable {
    /// The SDP offer the forks are rung with.
    public var forkOffer: String
    /// wagate's answer to the caller's offer; nil for direct media (the winner's answer is relayed).
    public var callerAnswer: String?

    /// True when wagate carries the call's media (a bridge), false for direct media.
    public var anchored: Bool { callerAnswer != nil }

    /// Creates a value.
    public init(forkOffer: String, callerAnswer: String?) {
        self.forkOffer = forkOffer
        self.callerAnswer = callerAnswer
    }
}
