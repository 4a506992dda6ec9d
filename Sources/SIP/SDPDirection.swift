import SDP

/// Local answers to re-INVITE/UPDATE offers (hold, resume, refresh), made from
/// our own last SDP: only the audio direction changes, mirrored from the offer
/// (RFC 3264 §6.1; the legacy `c=0.0.0.0` hold of §8.4 counts as sendonly), and
/// the session version goes up (§8).
enum SDPDirection {
    /// Our SDP answering `offer`, or nil when either cannot be parsed.
    static func answer(_ ours: String, toOffer offer: String) -> String? {
        guard var answer = try? SessionDescription(parsing: ours), !answer.media.isEmpty,
              let remote = try? SessionDescription(parsing: offer), let offered = remote.media.first else { return nil }
        let direction: MediaDirection = remote.holdState(of: offered) == .legacyZeroAddress
            ? .sendonly : remote.effectiveDirection(of: offered)
        answer.media[0].setDirection(direction.answer(wishing: .sendrecv))
        answer.origin = answer.origin.nextVersion()
        return answer.serialized()
    }
}
