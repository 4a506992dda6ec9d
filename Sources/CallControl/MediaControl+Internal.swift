// The default media of internal calls: direct media, for media adapters that
// anchor none (the echo-only test fakes); the bridge adapter anchors browsers.

extension MediaControl {
    /// Direct media: the caller's offer is what the forks get, and nothing is opened.
    /// - Throws: `MediaFailure(.incompatibleSDP)` for a caller without an SDP offer.
    public func openInternal(_ call: CallID, callerOffer: String?, browserTargets: Bool, context: CallLogContext)
        async throws(MediaFailure) -> InternalMediaSession {
        guard let callerOffer else {
            throw MediaFailure(.incompatibleSDP, "an internal call needs an SDP offer in the INVITE")
        }
        return InternalMediaSession(forkOffer: callerOffer, callerAnswer: nil)
    }
}
