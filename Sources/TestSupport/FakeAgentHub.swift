// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of AgentHubPort, documented there)
// Test support: browser sessions without sockets. Records every message sent
// to a session. Not shipped.

public import WebAgents

public final class FakeAgentHub: AgentHubPort {
    /// Sessions by id: user, presence, connected.
    public let sessions = Locked<[String: AgentSessionInfo]>([:])
    /// Every message sent, in order, with its session.
    public let sent = Locked<[(session: String, message: AgentServerMessage)]>([])

    public init() {}

    /// Adds a connected, available session of `user`; returns its contact URI.
    @discardableResult
    public func login(_ user: String, session: String) -> String {
        sessions.withValue { $0[session] = AgentSessionInfo(session: session, user: user, presence: .available, connected: true) }
        return AgentIDs.contact(ofSession: session)
    }

    /// The messages sent to `session`.
    public func messages(to session: String) -> [AgentServerMessage] {
        sent.current.filter { $0.session == session }.map(\.message)
    }

    public func availableContacts(ofUser user: String) async -> [String] {
        sessions.current.values.filter { $0.user == user && $0.presence == .available && $0.connected }
            .map { AgentIDs.contact(ofSession: $0.session) }.sorted()
    }

    public func sessionIDs(ofUser user: String) async -> [String] {
        sessions.current.values.filter { $0.user == user && $0.connected }.map(\.session).sorted()
    }

    public func session(for contact: String) async -> AgentSessionInfo? {
        AgentIDs.session(ofContact: contact).flatMap { sessions.current[$0] }
    }

    public func send(_ message: AgentServerMessage, to session: String) async -> Bool {
        guard sessions.current[session]?.connected == true else { return false }
        sent.withValue { $0.append((session, message)) }
        return true
    }

    public func attachCalls(calls: @escaping @Sendable (String) async -> [AgentCallSummary]) async -> AsyncStream<AgentClientEvent> {
        AsyncStream { $0.finish() }
    }
}
