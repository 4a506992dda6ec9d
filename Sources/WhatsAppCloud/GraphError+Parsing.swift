public import Foundation

/// Reading Meta's error envelope leniently: every field may be missing or of
/// the wrong type, and every string is bounded, because the body comes from
/// the network (or from a proxy's error page).
extension GraphError {
    /// The longest `message` or `details` kept, in characters.
    public static let textLimit = 512
    /// The longest `type` or `fbtrace_id` kept, in characters.
    public static let identifierLimit = 64
    /// The longest `Retry-After` honoured: Meta's longest limit window, 24 h.
    public static let maxRetryAfter = Duration.seconds(86_400)

    /// Builds an error from a response: its status, body and `Retry-After` header.
    /// A body that is not Meta's envelope still yields an error, with code 0 and
    /// the start of the body as message.
    public static func parse(status: Int, body: Data, retryAfterHeader: String? = nil) -> GraphError {
        var error: GraphError
        if let envelope = try? JSONDecoder().decode(GraphErrorEnvelope.self, from: body) {
            let fields = envelope.error
            error = GraphError(code: fields.code ?? 0, subcode: fields.subcode, httpStatus: status,
                               message: bounded(fields.message, textLimit) ?? "",
                               type: bounded(fields.type, identifierLimit),
                               details: bounded(fields.details, textLimit),
                               fbtraceID: bounded(fields.fbtraceID, identifierLimit))
            error.nextCallAllowed = fields.limitExpiration.flatMap(plausibleDate)
                ?? error.details.flatMap(GraphErrorTimestamp.first(in:))
        } else {
            error = GraphError(code: 0, httpStatus: status,
                               message: bounded(String(decoding: body.prefix(256), as: UTF8.self), 256) ?? "")
        }
        error.retryAfter = retryAfterHeader.flatMap(retryAfterSeconds)
        return error
    }

    /// A `Retry-After` header in delta-seconds (the form Meta uses), at most 24 h;
    /// nil for anything else (an HTTP date, a negative or absurd number).
    static func retryAfterSeconds(_ header: String) -> Duration? {
        guard let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return min(.seconds(seconds), maxRetryAfter)
    }

    /// A Unix time Meta could mean (2000 … 2100), else nil.
    static func plausibleDate(_ seconds: Double) -> Date? {
        guard seconds.isFinite, (946_684_800...4_102_444_800).contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `text` cut to `limit` characters, without control characters; nil when nothing is left.
    static func bounded(_ text: String?, _ limit: Int) -> String? {
        guard let text else { return nil }
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit * 4).filter {
            !CharacterSet.controlCharacters.contains($0)
        }).prefix(limit))
        return kept.isEmpty ? nil : kept
    }
}
