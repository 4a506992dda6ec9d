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

/// The timestamp inside a 138012 `error_data.details` text. Meta documents that
/// the details "include a timestamp when the next call is allowed" without fixing
/// its form, so both a Unix time (10 digits) and an ISO 8601 date-time are read.
enum GraphErrorTimestamp {
    /// The first plausible timestamp in `text`, or nil.
    static func first(in text: String) -> Date? {
        let text = String(text.prefix(GraphError.textLimit))
        if let match = text.firstMatch(of: /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})/) {
            let stamp = String(match.output.0).replacingOccurrences(of: " ", with: "T")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: stamp) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: stamp) { return date }
        }
        return digitRuns(in: text).lazy.filter { $0.count == 10 }
            .compactMap { Double($0).flatMap(GraphError.plausibleDate) }.first
    }

    /// The runs of ASCII digits in `text`.
    static func digitRuns(in text: String) -> [Substring] {
        text.split { !("0"..."9").contains($0) }
    }
}

/// Meta's error envelope, `{"error":{…}}`, read leniently.
struct GraphErrorEnvelope: Decodable {
    /// The `error` object.
    let error: Body

    /// The fields of `error`, each read leniently.
    struct Body: Decodable {
        let message: String?
        let type: String?
        let code: Int?
        let subcode: Int?
        let details: String?
        let fbtraceID: String?
        /// `error_data.limit_expiration_time`: Meta's name (in call permission limits)
        /// for when a limit ends, read when an error carries it.
        let limitExpiration: Double?

        enum CodingKeys: String, CodingKey {
            case message, type, code
            case subcode = "error_subcode"
            case errorData = "error_data"
            case fbtraceID = "fbtrace_id"
        }

        enum DataKeys: String, CodingKey {
            case details
            case limitExpiration = "limit_expiration_time"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = container.lenientString(.message)
            type = container.lenientString(.type)
            code = container.lenientInt(.code)
            subcode = container.lenientInt(.subcode)
            fbtraceID = container.lenientString(.fbtraceID)
            if let data = try? container.nestedContainer(keyedBy: DataKeys.self, forKey: .errorData) {
                details = data.lenientString(.details)
                limitExpiration = data.lenientString(.limitExpiration).flatMap(Double.init)
            } else {
                details = container.lenientString(.errorData)
                limitExpiration = nil
            }
        }
    }
}
