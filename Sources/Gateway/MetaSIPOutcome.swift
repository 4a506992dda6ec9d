// What a final failure response from Meta's SIP servers means to call control.
//
// A SIP-mode call's INVITE stands where Graph's `connect` stands in Graph mode,
// so a refusal before Meta rang the user is reported as the `connect` failure
// Graph would have returned for the same cause (the Graph code, mapped to the
// phone's answer by FailureMapping's table). After ringing, or for the answers
// that mean "nobody took it", it is the webhook Graph would have sent.
// Meta's statuses are those of the contract §5: 403 (no permission, limits,
// domain mismatch), 404, 407, 408, 480, 486, 487, 503.

import CallControl

/// Call control's reading of a final non-2xx from Meta's SIP servers.
enum MetaSIPOutcome: Equatable {
    /// The user declined or was busy (486, 600, 603): `REJECTED`, the phone gets 603.
    case rejected
    /// Nobody answered (408, 480, 487): a terminate without errors, the phone gets 480.
    case noAnswer
    /// A refusal, reported as the Graph failure of the same cause.
    case failure(WhatsAppFailure)

    /// The outcome of `status` (`phrase` is kept in the failure's message).
    init(status: Int, phrase: String) {
        let message = "Meta SIP \(status) \(phrase.prefix(80))"
        switch status {
        case 486, 600, 603: self = .rejected
        case 408, 480, 487: self = .noAnswer
        // Meta's 403 is mostly a missing call permission (also limits or a From
        // domain Meta does not know): the permission is looked up again next time.
        case 403: self = .failure(.graph(code: 138006, httpStatus: 403, message: message))
        case 404, 604: self = .failure(.graph(code: 138001, httpStatus: 404, message: message))
        // A 401/407 left after the stack's one retry: Meta refused the digest answer.
        case 401, 407: self = .failure(.unexpectedResponse("\(message): digest credentials refused"))
        case 429: self = .failure(.graph(code: 138005, httpStatus: 429, message: message))
        case 500...599: self = .failure(.graph(code: 138004, httpStatus: 503, message: message))
        default: self = .failure(.graph(code: 0, httpStatus: 400, message: message))
        }
    }

    /// The terminate error of a failure after Meta rang the user (`code` nil: no code).
    var terminateErrors: [WhatsAppCallError] {
        guard case .failure(let failure) = self else { return [] }
        return [WhatsAppCallError(code: failure.graphCode, title: failure.description)]
    }
}
