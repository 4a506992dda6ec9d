/// The one error type of the `ICE` module: invalid inputs given to it.
///
/// Runtime outcomes (connectivity failure, consent loss) are not errors but
/// `ICEAction.failed(reason:)` with an `ICEFailureReason`.
public struct ICEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Hashable, Sendable {
        /// A ufrag or pwd breaks RFC 8839 §5.4 (length, ice-chars).
        case invalidCredentials
        /// A candidate's address is not an IP literal.
        case invalidCandidate
    }

    /// What went wrong.
    public var kind: Kind
    /// A human-readable explanation naming the offending value.
    public var reason: String

    /// Creates an error.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// `ICE <kind>: <reason>`.
    public var description: String {
        "ICE \(kind.rawValue): \(reason)"
    }
}
