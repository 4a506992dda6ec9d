/// Consent freshness state of a selected pair (RFC 7675 §5.1).
struct ICEConsent: Sendable {
    /// The selected pair.
    var pair: ICESelectedPair
    /// The valid pair it came from.
    var validIndex: Int
    /// The last authenticated response (or the selection itself).
    var lastResponseAt: ICEInstant
    /// When the next consent check goes out.
    var nextCheckAt: ICEInstant
}
