// What the server sends: `wagate.agent.v1` server messages. The call-related
// payloads are in AgentServerMessage+Calls.swift, the JSON in +JSON.swift.

/// Why the server ends a session.
public enum AgentByeReason: String, Sendable, Equatable {
    /// The login token expired.
    case tokenExpired = "token_expired"
    /// A newer login of the same user took this session's place (`max_sessions_per_user`).
    case replaced
    /// The user was removed, set to `webrtc = no` or given a new secret.
    case accountDisabled = "account_disabled"
    /// The gateway is shutting down.
    case shutdown
}

/// A call kept across a reconnect, as `welcome` lists it.
public struct AgentCallSummary: Sendable, Equatable {
    /// The call's agent id.
    public var call: String
    /// Its state as the call layer names it (`ringing`, `answered`, …).
    public var state: String

    /// Creates a summary.
    public init(call: String, state: String) {
        self.call = call
        self.state = state
    }
}

/// `welcome`: the session a login opened.
public struct AgentWelcome: Sendable, Equatable {
    /// The user name.
    public var user: String
    /// The caller-id name, when configured.
    public var name: String?
    /// The token to log in again with (only in the `welcome` of a password login
    /// or a token login; the same token is repeated).
    public var token: String
    /// When the token expires (RFC 3339).
    public var expiresAt: String
    /// The session's id.
    public var session: String
    /// The session's presence.
    public var presence: AgentPresence
    /// The user's `max_calls`.
    public var maxCalls: Int
    /// The business numbers the user may call from.
    public var numbers: [String]
    /// Calls kept across a reconnect.
    public var calls: [AgentCallSummary]

    /// Creates a welcome.
    public init(user: String, name: String?, token: String, expiresAt: String, session: String,
                presence: AgentPresence, maxCalls: Int, numbers: [String], calls: [AgentCallSummary]) {
        self.user = user
        self.name = name
        self.token = token
        self.expiresAt = expiresAt
        self.session = session
        self.presence = presence
        self.maxCalls = maxCalls
        self.numbers = numbers
        self.calls = calls
    }
}

/// One server message.
public enum AgentServerMessage: Sendable, Equatable {
    /// The request `re` succeeded; `call` names the call a `dial` created.
    case ok(re: String?, call: String? = nil)
    /// A request failed, or a message could not be read.
    case error(AgentError)
    /// The session a login opened.
    case welcome(AgentWelcome)
    /// A call offered to the browser.
    case incoming(AgentIncoming)
    /// Progress of a call the browser placed (180/183, with wagate's answer when known).
    case progress(call: String, status: Int, sdp: String?)
    /// The call was answered.
    case answered(call: String, sdp: String?)
    /// An offered call stopped ringing here.
    case cancelled(call: String, reason: AgentCancelReason)
    /// A call ended.
    case ended(AgentEnded)
    /// Hold state of a call.
    case held(call: String, on: Bool)
    /// Mute state of a call.
    case muted(call: String, on: Bool)
    /// A permission's state for a WhatsApp user.
    case permission(AgentPermissionNotice)
    /// A transfer's progress.
    case transfer(AgentTransferNotice)
    /// The session's presence.
    case presence(AgentPresence)
    /// Recent calls.
    case history([AgentHistoryEntry])
    /// The session ends; the socket closes after it.
    case bye(AgentByeReason)
    /// The answer to `ping`.
    case pong
}
