/// What a failed request toward a peer really means, in words for the log.
///
/// sofia reports some failures with codes of its own (9xx: 900 internal
/// error, 904 "No matching challenge" when the credentials given were not
/// accepted) and generates 408 (no response before Timer B/F) and 503 (the
/// transport could not send) locally. None of those is a status the peer sent,
/// so none is shown as one: the text names what happened.
public enum SIPFailureCause {
    /// The first code sofia uses for its own, non-SIP failures.
    public static let firstInternalStatus = 700

    /// A cause for `status` (and the peer's `phrase`, when it sent one).
    public static func describe(status: Int, phrase: String?) -> String {
        let sent = phrase.map { "\(status) \($0)" } ?? "\(status)"
        switch status {
        case 401, 407: return "authentication failed: credentials not accepted (\(sent))"
        case 403: return "refused by the peer (\(sent))"
        case 404, 484, 604: return "number not known to the peer (\(sent))"
        case 408: return "no answer: the peer did not respond in time"
        case 503: return "unreachable or unavailable: nothing could be sent, or the peer is overloaded (503)"
        case 904: return "authentication failed: no credentials accepted"
        case firstInternalStatus...: return "request failed inside the SIP stack before reaching the peer"
        default: return "the peer answered \(sent)"
        }
    }

    /// The status and phrase to report for what sofia gave: its internal codes
    /// become 401 (904: the peer challenged again and no credentials it accepts
    /// are left, so its last answer was a challenge) or 500 with the cause as
    /// phrase; a status a peer sent is kept as it is.
    public static func reported(status: Int, phrase: String) -> (status: Int, phrase: String) {
        switch status {
        case 904: (401, "Unauthorized")
        case firstInternalStatus...: (500, describe(status: status, phrase: nil))
        default: (status, phrase)
        }
    }
}
