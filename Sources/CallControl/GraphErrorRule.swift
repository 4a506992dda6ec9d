// A row of the Graph error table (FailureMapping+Table.swift, docs/call-flows.md).

/// One row of the Graph error table: the SIP answer for a Meta error code.
public struct GraphErrorRule: Sendable, Equatable {
    /// Meta's codes this row covers.
    public var codes: [Int]
    /// The SIP status of the INVITE's final answer.
    public var status: Int
    /// The `Reason: SIP;cause=…;text="…"` text: what happened, in a few words.
    public var reason: String
    /// The `Warning` text after `WhatsApp CODE: `: what the operator should do (at most ~100 characters).
    public var advice: String
    /// The CDR's end reason.
    public var endReason: CallEndReason
    /// Whether a `Retry-After` is sent: Meta's (header, or the next allowed time of 138012), else wagate's default.
    public var retryAfter: Bool

    /// Creates a row.
    public init(_ codes: [Int], _ status: Int, _ endReason: CallEndReason, retryAfter: Bool = false,
                reason: String, advice: String) {
        self.codes = codes
        self.status = status
        self.reason = reason
        self.advice = advice
        self.endReason = endReason
        self.retryAfter = retryAfter
    }
}
