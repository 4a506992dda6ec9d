import Foundation

/// The one error type of the `WhatsAppCloud` module.
///
/// Graph API failures carry a ``GraphError``; transport failures are separate so
/// the caller can tell "Meta said no" from "we do not know what happened".
public enum WhatsAppCloudError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Meta answered with an error envelope.
    case graph(GraphError)
    /// No response within the configured timeout. For `connect` the outcome is
    /// unknown: the call may exist at Meta (docs/whatsapp.md#call-actions: never retried blindly).
    case timeout(path: String, outcomeUnknown: Bool)
    /// The request could not be sent or the connection failed before a response.
    case transport(path: String, reason: String)
    /// Meta answered 2xx (or an error status) with a body that could not be understood.
    case unexpectedResponse(path: String, httpStatus: Int, body: String)
    /// A request could not be encoded (should not happen with the typed requests).
    case encoding(String)
    /// A webhook POST carried no `X-Hub-Signature-256` header.
    case signatureMissing
    /// A webhook POST's signature did not match the body.
    case signatureMismatch
    /// A signed webhook body was not a JSON object.
    case malformedWebhook(String)

    /// The Graph error inside, if this is one.
    public var graphError: GraphError? {
        if case .graph(let error) = self { return error }
        return nil
    }

    /// A short human-readable description; never contains the access token.
    public var description: String {
        switch self {
        case .graph(let error): return error.description
        case .timeout(let path, let unknown):
            return "timeout on \(path)" + (unknown ? " (outcome unknown: the call may exist)" : "")
        case .transport(let path, let reason): return "transport failure on \(path): \(reason)"
        case .unexpectedResponse(let path, let status, let body):
            return "unexpected response on \(path) (HTTP \(status)): \(body.prefix(200))"
        case .encoding(let reason): return "request encoding failed: \(reason)"
        case .signatureMissing: return "webhook signature header missing"
        case .signatureMismatch: return "webhook signature does not match"
        case .malformedWebhook(let reason): return "malformed webhook body: \(reason)"
        }
    }
}
