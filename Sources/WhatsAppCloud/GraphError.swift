public import Foundation

/// An error answered by Meta's Graph API in its standard envelope
/// (`{"error":{"message","type","code","error_data":{"details"},"fbtrace_id"}}`).
///
/// Carries everything a log line or a SIP `Warning` needs, plus a
/// ``Classification`` the call layer maps to a SIP status (docs/whatsapp.md#errors).
public struct GraphError: Sendable, Equatable, CustomStringConvertible {
    /// Meta's numeric error code (`error.code`), e.g. 138006.
    public var code: Int
    /// Meta's optional sub-code (`error.error_subcode`).
    public var subcode: Int?
    /// The HTTP status of the response that carried the error.
    public var httpStatus: Int
    /// Meta's human-readable message, e.g. `"(#138006) …"`.
    public var message: String
    /// The error type, usually `"OAuthException"`.
    public var type: String?
    /// `error.error_data.details`, e.g. `"No fingerprint found in SDP"`.
    public var details: String?
    /// `error.fbtrace_id`, to quote when asking Meta for help.
    public var fbtraceID: String?
    /// How long to wait before retrying, from a `Retry-After` header when Meta sent one.
    public var retryAfter: Duration?
    /// When Meta allows the next call to this user (138012, from `error_data`).
    public var nextCallAllowed: Date?

    /// Creates an error value; normally built by ``GraphClient`` from a response.
    public init(
        code: Int, subcode: Int? = nil, httpStatus: Int, message: String, type: String? = nil,
        details: String? = nil, fbtraceID: String? = nil, retryAfter: Duration? = nil, nextCallAllowed: Date? = nil
    ) {
        self.code = code
        self.subcode = subcode
        self.httpStatus = httpStatus
        self.message = message
        self.type = type
        self.details = details
        self.fbtraceID = fbtraceID
        self.retryAfter = retryAfter
        self.nextCallAllowed = nextCallAllowed
    }

    /// The wait Meta asks for, seen at `now`: its `Retry-After`, else the time left
    /// until ``nextCallAllowed`` (at least 1 s, at most ``maxRetryAfter``).
    public func wait(at now: Date) -> Duration? {
        if let retryAfter { return retryAfter }
        guard let nextCallAllowed else { return nil }
        let left = nextCallAllowed.timeIntervalSince(now).rounded(.up)
        return .seconds(Int64(min(max(left, 1), Double(Self.maxRetryAfter.components.seconds))))
    }

    /// What the error means for a call, independent of Meta's numbering.
    public enum Classification: Sendable, Equatable {
        /// 100: a parameter (often the SDP) was refused; see `details`.
        case invalidParameter
        /// 131055, 138000, 138014, 138015, 138018: Graph calling is off or misconfigured on the number.
        case callingUnavailable
        /// 138001: the receiver cannot be called (not on WhatsApp, old client).
        case receiverUncallable
        /// 138002: the per-number concurrent call limit.
        case concurrencyLimit
        /// 138003: a call with this user is already ongoing.
        case duplicateCall
        /// 138005, 613 or any other 429: too many requests; retry later.
        case rateLimited
        /// 138006: the user has not approved calls from the business.
        case noPermission
        /// 138009: the permission-request limit was hit.
        case permissionRequestLimit
        /// 138012: the daily business-initiated connected-call limit for this user.
        case dailyCallLimit
        /// 138013: business-initiated calling is unavailable for this country.
        case countryUnavailable
        /// 138007: Meta could not apply the SDP in time.
        case connectTimeout
        /// 190 or HTTP 401/403 without a calling code: the token is invalid or lacks scope.
        case unauthorized
        /// 138004 or an HTTP 5xx: a failure on Meta's side.
        case serverError
        /// Anything else.
        case other
    }

    /// The classification of this error, from its code and then its HTTP status.
    public var classification: Classification {
        switch code {
        case 100: return .invalidParameter
        case 131055, 138000, 138014, 138015, 138018: return .callingUnavailable
        case 138001: return .receiverUncallable
        case 138002: return .concurrencyLimit
        case 138003: return .duplicateCall
        case 138005, 613: return .rateLimited
        case 138006: return .noPermission
        case 138007: return .connectTimeout
        case 138009: return .permissionRequestLimit
        case 138012: return .dailyCallLimit
        case 138013: return .countryUnavailable
        case 138004: return .serverError
        case 190: return .unauthorized
        default: break
        }
        switch httpStatus {
        case 429: return .rateLimited
        case 401, 403: return .unauthorized
        case 500...599: return .serverError
        default: return .other
        }
    }

    /// Whether repeating the same request later may succeed (429 and Meta-side failures).
    public var isRetryable: Bool {
        switch classification {
        case .rateLimited, .concurrencyLimit: return true
        default: return false
        }
    }

    /// A one-line summary for logs and SIP `Warning` text.
    public var description: String {
        var text = "Graph error \(code) (HTTP \(httpStatus)): \(message)"
        if let details { text += " — \(details)" }
        if let fbtraceID { text += " [fbtrace_id \(fbtraceID)]" }
        return text
    }
}
