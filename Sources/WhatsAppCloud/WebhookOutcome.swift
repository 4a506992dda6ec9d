/// What became of one webhook delivery, or of its events, for counting
/// (`WebhookProcessor/observe`). Each case is a fixed label value.
public enum WebhookOutcome: String, Sendable, CaseIterable {
    /// A `POST` arrived at the webhook path.
    case received
    /// Its `X-Hub-Signature-256` matched the app secret.
    case verified
    /// Refused: no signature.
    case missingSignature = "missing_signature"
    /// Refused: a signature that does not match.
    case badSignature = "bad_signature"
    /// Signed, but not a webhook body.
    case malformed
    /// Events already handled (Meta's retries), not handed on again; counted per event.
    case duplicate
}
