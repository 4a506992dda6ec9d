// The `code` values of the protocol's `error` message.

/// Why a request was refused (`error.code`).
public enum AgentErrorCode: String, Sendable, Equatable, CaseIterable {
    /// Not JSON, not an object, a field of the wrong type or size, or bad UTF-8.
    case badMessage = "bad_message"
    /// A `type` this server does not know.
    case unknownType = "unknown_type"
    /// More messages than the socket's rate allows.
    case rateLimited = "rate_limited"
    /// A request other than `login` or `ping` before a successful login.
    case notLoggedIn = "not_logged_in"
    /// A second `login` on a socket already logged in.
    case alreadyLoggedIn = "already_logged_in"
    /// Wrong user or password, or an unknown, expired or revoked token.
    case badCredentials = "bad_credentials"
    /// Too many failed logins from this address or for this user: `retry_after` seconds.
    case locked
    /// The user exists but may not log in from a browser (`webrtc = no`).
    case webrtcDisabled = "webrtc_disabled"
    /// A credential sent over a connection that is neither TLS nor loopback nor a trusted proxy's HTTPS.
    case tlsRequired = "tls_required"
    /// `v` is not a version this server speaks.
    case unsupportedVersion = "unsupported_version"
    /// The service is not available: calls are not handled yet, or history is not kept.
    case unavailable
    /// `call` names no call of this session.
    case unknownCall = "unknown_call"
    /// The request is not valid in the call's state.
    case invalidState = "invalid_state"
    /// The permission request was refused (`message` says why).
    case permissionRequestRefused = "permission_request_refused"
}

/// An `error` message: the request it answers (if any), the code, a text for people.
public struct AgentError: Sendable, Equatable, Error {
    /// The request's `id`, when the request had one that could be read.
    public var re: String?
    /// The code.
    public var code: AgentErrorCode
    /// A short explanation, never containing a credential.
    public var message: String
    /// Seconds until a retry can succeed (`locked`, `rate_limited`).
    public var retryAfter: Int?

    /// Creates an error.
    public init(re: String?, code: AgentErrorCode, message: String, retryAfter: Int? = nil) {
        self.re = re
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}
