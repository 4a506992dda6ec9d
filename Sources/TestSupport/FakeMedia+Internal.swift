// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// Test support: the fake media's internal calls. A caller offer starting with
// `webrtc` is anchored (as a browser's is), any other is direct media. Not shipped.

public import CallControl

extension FakeMedia {
    public func openInternal(_ call: CallID, callerOffer: String?, browserTargets: Bool, context: CallLogContext)
        async throws(MediaFailure) -> InternalMediaSession {
        journal.append("media.openInternal \(call)" + (browserTargets ? " browsers" : ""))
        if let failure = failOpen.current { throw failure }
        guard let callerOffer else { throw MediaFailure(.incompatibleSDP, "no offer") }
        guard callerOffer.hasPrefix("webrtc") else { return InternalMediaSession(forkOffer: callerOffer, callerAnswer: nil) }
        return InternalMediaSession(forkOffer: "sip-internal-offer-\(call)", callerAnswer: "browser-answer-\(call)")
    }
}
