/// The `Retry-After` header (RFC 3261 §20.33) of a 500 or 503: whole seconds,
/// never negative.
public struct SIPRetryAfter: Sendable, Equatable, CustomStringConvertible {
    /// Seconds the client should wait before trying again.
    public var seconds: Int

    /// A Retry-After of `seconds` (negative values become 0).
    public init(seconds: Int) { self.seconds = max(0, seconds) }

    /// The header value.
    public var description: String { "\(seconds)" }

    /// The whole `Retry-After: …` header line.
    public var header: String { "Retry-After: \(self)" }
}
