// Graph API failures → SIP final responses (the codes of docs/whatsapp.md#errors,
// mapped as the table "Cloud API errors on `connect`" in docs/call-flows.md says).

/// Maps Cloud API failures of `connect` to the SIP answer of the INVITE.
public enum FailureMapping {
    /// The SIP response and end reason for a failed `connect` (or permission check).
    public static func response(for failure: WhatsAppFailure, defaultRetryAfter: Int) -> (SIPResponse, CallEndReason) {
        switch failure {
        case .graph(let code, let httpStatus, _, _, let retryAfter):
            return graphResponse(code: code, httpStatus: httpStatus, retryAfter: retryAfter, failure: failure,
                                 defaultRetryAfter: defaultRetryAfter)
        case .timeout, .transport, .unexpectedResponse:
            return (unavailable(failure, cause: 503, retryAfter: defaultRetryAfter), .whatsAppError)
        case .circuitOpen(let retryAfter):
            return (unavailable(failure, cause: 503, retryAfter: max(1, Int(retryAfter.components.seconds))),
                    .whatsAppError)
        }
    }

    private static func graphResponse(code: Int, httpStatus: Int, retryAfter: Duration?, failure: WhatsAppFailure,
                                      defaultRetryAfter: Int) -> (SIPResponse, CallEndReason) {
        let warning = failure.description
        let retry = retryAfter.map { Int($0.components.seconds) } ?? defaultRetryAfter
        switch code {
        case 100:
            return (SIPResponse(status: 488, warning: warning, reason: sipReason(488, warning)), .whatsAppError)
        case 138001:
            return (SIPResponse(status: 404, warning: warning, reason: sipReason(404, "Not a callable WhatsApp user")),
                    .whatsAppError)
        case 138002, 138005:
            return (SIPResponse(status: 503, warning: warning, reason: sipReason(503, warning), retryAfter: retry),
                    .limit)
        case 138003:
            let reason = sipReason(486, "Already in a call with this user")
            return (SIPResponse(status: 486, warning: warning, reason: reason),
                    .busy)
        case noPermissionCode:
            return (noPermissionResponse(detail: warning), .noPermission)
        case 138007:
            return (SIPResponse(status: 504, warning: warning, reason: sipReason(504, warning)), .whatsAppError)
        case 138009, 138012, 138013:
            return (SIPResponse(status: 403, warning: warning, reason: sipReason(403, warning)), .forbidden)
        default:
            if httpStatus == 429 {
                return (SIPResponse(status: 503, warning: warning, reason: sipReason(503, warning), retryAfter: retry),
                        .limit)
            }
            if (500...599).contains(httpStatus) {
                return (unavailable(failure, cause: 503, retryAfter: retry), .whatsAppError)
            }
            if [131055, 138000, 138004, 138014, 138015, 138018, 190].contains(code)
                || httpStatus == 401 || httpStatus == 403 {
                return (unavailable(failure, cause: 503), .whatsAppError)
            }
            return (SIPResponse(status: 500, warning: warning, reason: sipReason(500, warning)), .whatsAppError)
        }
    }

    /// Meta's code for "the user has not approved calls from this business".
    static let noPermissionCode = 138006

    /// True when a failed `connect` means the cached permission is gone
    /// (forget it, and ask the user again when configured).
    public static func revokesPermission(_ failure: WhatsAppFailure) -> Bool {
        failure.graphCode == noPermissionCode
    }

    /// 403 with the `Warning` and `Reason` that say the user gave no call permission.
    public static func noPermissionResponse(detail: String? = nil) -> SIPResponse {
        let text = "No WhatsApp call permission from this user"
        return SIPResponse(status: 403, phrase: "Forbidden", warning: detail.map { "\(text): \($0)" } ?? text,
                           reason: sipReason(403, text))
    }

    /// The response for a SIP-side failure of the media bridge.
    public static func response(for failure: MediaFailure) -> SIPResponse {
        let status = switch failure.kind {
        case .incompatibleSDP: 488
        case .resources: 503
        case .setupFailed: 503
        }
        return SIPResponse(status: status, warning: "media: \(failure.detail)",
                           reason: sipReason(status, "Media setup failed"))
    }

    /// A `Reason: SIP;cause=N;text="…"` header (quoted and bounded by the SIP
    /// layer's header builder when it is sent).
    public static func sipReason(_ cause: Int, _ text: String) -> SIPReason {
        SIPReason(cause: cause, text: text)
    }

    private static func unavailable(_ failure: WhatsAppFailure, cause: Int, retryAfter: Int? = nil) -> SIPResponse {
        SIPResponse(status: cause, warning: failure.description, reason: sipReason(cause, failure.description),
                    retryAfter: retryAfter)
    }

    /// The end reason of an inbound leg that failed with `status` (all forks failed).
    public static func endReason(forSIPFailure status: Int) -> CallEndReason {
        switch status {
        case 486, 600: .busy
        case 603: .rejected
        case 404, 408, 480, 487: .noAnswer
        default: .sipError
        }
    }
}
