// Graph API failures → SIP final responses (the codes of docs/whatsapp.md#errors,
// mapped as the table "Cloud API errors on `connect`" in docs/call-flows.md says;
// the rows themselves are in FailureMapping+Table.swift).

/// Maps Cloud API failures of `connect` to the SIP answer of the INVITE.
public enum FailureMapping {
    /// The SIP response and end reason for a failed `connect` (or permission check).
    public static func response(for failure: WhatsAppFailure, defaultRetryAfter: Int) -> (SIPResponse, CallEndReason) {
        switch failure {
        case .graph(let code, let httpStatus, _, let details, let retryAfter, _):
            return graphResponse(code: code, httpStatus: httpStatus, details: details, retryAfter: retryAfter,
                                 defaultRetryAfter: defaultRetryAfter)
        case .timeout, .transport, .unexpectedResponse:
            return (unavailable(failure, cause: 503, retryAfter: defaultRetryAfter), .whatsAppError)
        case .circuitOpen(let retryAfter):
            return (unavailable(failure, cause: 503, retryAfter: max(1, Int(retryAfter.components.seconds))),
                    .whatsAppError)
        }
    }

    /// The answer for a Graph error, from its ``GraphErrorRule``: `Warning: 399 wagate
    /// "WhatsApp CODE: advice — Meta's details"` and `Reason: SIP;cause=STATUS;text="…"`.
    private static func graphResponse(code: Int, httpStatus: Int, details: String?, retryAfter: Duration?,
                                      defaultRetryAfter: Int) -> (SIPResponse, CallEndReason) {
        let rule = rule(code: code, httpStatus: httpStatus)
        var warning = "WhatsApp \(code): \(rule.advice)"
        if let details, !details.isEmpty { warning += " — \(details)" }
        let retry = rule.retryAfter ? retryAfter.map(boundedSeconds) ?? defaultRetryAfter : nil
        let response = SIPResponse(status: rule.status, warning: warning, reason: sipReason(rule.status, rule.reason),
                                   retryAfter: retry)
        return (response, rule.endReason)
    }

    /// The longest Retry-After sent for Meta's value: Meta's longest limit window (24 h).
    public static let maxRetryAfter = 86_400

    /// Meta's wait in whole seconds, rounded up and kept within 1 s … ``maxRetryAfter``.
    static func boundedSeconds(_ wait: Duration) -> Int {
        let (seconds, attoseconds) = wait.components
        let whole = seconds + (attoseconds > 0 ? 1 : 0)
        return Int(min(max(whole, 1), Int64(maxRetryAfter)))
    }

    /// Meta's code for "the user has not approved calls from this business".
    static let noPermissionCode = 138006

    /// True when a failed `connect` means the cached permission is gone
    /// (forget it, and ask the user again when configured).
    public static func revokesPermission(_ failure: WhatsAppFailure) -> Bool {
        failure.graphCode == noPermissionCode
    }

    /// The words of a refusal for want of call permission.
    static let noPermissionText = "No WhatsApp call permission from this user"

    /// True for the refusal ``noPermissionResponse(detail:)`` builds (a browser's page
    /// then offers to send a permission request).
    public static func isNoPermission(_ response: SIPResponse) -> Bool {
        response.status == 403 && response.reason?.text == noPermissionText
    }

    /// 403 with the `Warning` and `Reason` that say the user gave no call permission
    /// (the permission look-up said so; no `connect` was sent).
    public static func noPermissionResponse(detail: String? = nil) -> SIPResponse {
        let text = noPermissionText
        return SIPResponse(status: 403, phrase: "Forbidden", warning: detail.map { "\(text): \($0)" } ?? text,
                           reason: sipReason(403, text))
    }

    /// `response` with Warning and Reason texts that tell the caller wagate
    /// calls back if the user grants permission (`permission_callback`).
    public static func announcingCallback(_ response: SIPResponse) -> SIPResponse {
        let added = "; permission requested, you will be called back"
        var response = response
        response.warning = (response.warning ?? noPermissionText) + added
        response.reason = sipReason(response.status, (response.reason?.text ?? noPermissionText) + added)
        return response
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

    /// The end reason of a SIP leg that failed with the final `status`, as
    /// Asterisk's SIP-to-cause table groups them: unknown callee (404 Not Found,
    /// 410 Gone, 484 Address Incomplete, 485 Ambiguous, 604 Does Not Exist
    /// Anywhere) is `not_found`; 408, 480 and 487 (the fork cancelled when the ring
    /// stage ran out) are `no_answer`; 486 and 600 `busy`; 401, 403, 407 and 603
    /// `rejected`; 488 and 606 (no common codec) `media_failure`; anything else
    /// `sip_error`. The table is in docs/operations.md "Reading a CDR".
    public static func endReason(forSIPFailure status: Int) -> CallEndReason {
        switch status {
        case 404, 410, 484, 485, 604: .notFound
        case 408, 480, 487: .noAnswer
        case 486, 600: .busy
        case 401, 403, 407, 603: .rejected
        case 488, 606: .mediaFailure
        default: .sipError
        }
    }
}
