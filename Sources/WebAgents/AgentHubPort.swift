// The port the call layer uses to reach browser agents: contacts for routing,
// messages to a session, and the call requests sessions send.

/// A session as the call layer sees it.
public struct AgentSessionInfo: Sendable, Equatable {
    /// The session id.
    public var session: String
    /// Its user.
    public var user: String
    /// Its presence.
    public var presence: AgentPresence
    /// False while the socket is gone and the session waits for a reconnect.
    public var connected: Bool

    /// Creates the description.
    public init(session: String, user: String, presence: AgentPresence, connected: Bool) {
        self.session = session
        self.user = user
        self.presence = presence
        self.connected = connected
    }
}

/// What sessions tell the call layer.
public enum AgentClientEvent: Sendable, Equatable {
    /// A call request of `session` (user `user`); answer it with `ok`/`error` carrying `re`.
    case request(session: String, user: String, re: String?, AgentCallRequest)
    /// `session` ended: logout, a reload, eviction, or a socket that did not come back
    /// within the reconnect grace. Its calls are to be hung up as by the agent.
    case sessionEnded(session: String, user: String)
}

/// The hub as the call layer uses it.
public protocol AgentHubPort: Sendable {
    /// `wagate-agent:<session>` URIs of `user`'s available, connected sessions.
    func availableContacts(ofUser user: String) async -> [String]
    /// The ids of every connected session of `user`, away ones included (notices
    /// about the user's own requests reach all of them, oldest first).
    func sessionIDs(ofUser user: String) async -> [String]
    /// The session a `wagate-agent:` URI names, if it exists.
    func session(for contact: String) async -> AgentSessionInfo?
    /// Sends `message` to `session`; false when the session is gone or not connected.
    @discardableResult
    func send(_ message: AgentServerMessage, to session: String) async -> Bool
    /// Starts handing call requests to the caller: until this is called, they are
    /// answered `error {code:"unavailable"}`. `calls` lists a session's calls for the
    /// `welcome` of a reconnect. One consumer only; a second call replaces the first.
    func attachCalls(calls: @escaping @Sendable (String) async -> [AgentCallSummary]) async -> AsyncStream<AgentClientEvent>
}
