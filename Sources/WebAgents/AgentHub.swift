// The browser agents' hub: sessions per user, presence, login and tokens, and
// the route of call requests to the call layer. Decides nothing about calls.

public import Foundation
public import Logging
import SIP

/// Sessions of logged-in browsers. An actor: sockets, the call layer and reloads
/// reach it concurrently. The clock (seconds) is injected for tests.
public actor AgentHub: AgentHubPort {
    /// One session.
    struct Session {
        let id: String
        let user: String
        var presence: AgentPresence
        var queue: AgentOutboundQueue?
        var connection: Int?
        var detachedUntil: Double?
        var token: String
        let tokenExpires: Double
        /// Login order: the oldest session has the smallest.
        let order: Int
    }

    var policy: AgentPolicy
    var login: AgentLogin
    var tokens: AgentTokens
    var sessions: [String: Session] = [:]
    var connections: [Int: AgentOutboundQueue] = [:]
    var nextConnection = 0
    var nextOrder = 0
    var callEvents: AsyncStream<AgentClientEvent>.Continuation?
    var callSummaries: (@Sendable (String) async -> [AgentCallSummary])?
    var history: (@Sendable (String, Int) async -> [AgentHistoryEntry]?)?
    let clock: @Sendable () -> Double
    let logger: Logger
    var throttle = AgentLogThrottle()

    /// A hub for `accounts` under `policy`. `history`, when given, serves the
    /// `history` request (user, limit → entries; nil: unavailable).
    public init(accounts: [AgentAccount], policy: AgentPolicy,
                history: (@Sendable (String, Int) async -> [AgentHistoryEntry]?)? = nil,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                logger: Logger = Logger(label: "wagate.agents")) {
        self.policy = policy
        login = AgentLogin(accounts: accounts, policy: policy)
        tokens = AgentTokens(capacity: 4 * max(accounts.count, 16))
        self.history = history
        self.clock = clock
        self.logger = logger
    }

    /// Serves the `history` request with `history` from now on (the store opens after the hub).
    public func serveHistory(_ history: @escaping @Sendable (String, Int) async -> [AgentHistoryEntry]?) {
        self.history = history
    }

    /// The upgrade checks, from the current `[webphone]`.
    public var upgradePolicy: AgentUpgradePolicy {
        AgentUpgradePolicy(webphone: policy.webphone, listenerTLS: policy.listenerTLS)
    }

    // MARK: AgentHubPort

    /// `wagate-agent:` URIs of `user`'s available, connected sessions, oldest first.
    public func availableContacts(ofUser user: String) -> [String] {
        sessions.values.filter { $0.user == user && $0.presence == .available && $0.queue != nil }
            .sorted { $0.order < $1.order }.map { AgentIDs.contact(ofSession: $0.id) }
    }

    /// The ids of `user`'s connected sessions, whatever their presence, oldest first.
    public func sessionIDs(ofUser user: String) -> [String] {
        sessions.values.filter { $0.user == user && $0.queue != nil }.sorted { $0.order < $1.order }.map(\.id)
    }

    /// The session `contact` names.
    public func session(for contact: String) -> AgentSessionInfo? {
        guard let id = AgentIDs.session(ofContact: contact), let session = sessions[id] else { return nil }
        return AgentSessionInfo(session: id, user: session.user, presence: session.presence, connected: session.queue != nil)
    }

    /// Sends `message` to `session`.
    @discardableResult
    public func send(_ message: AgentServerMessage, to session: String) -> Bool {
        guard let queue = sessions[session]?.queue else { return false }
        return queue.put(.message(message))
    }

    /// Hands call requests to the caller from now on.
    public func attachCalls(calls: @escaping @Sendable (String) async -> [AgentCallSummary]) -> AsyncStream<AgentClientEvent> {
        callEvents?.finish()
        let (stream, continuation) = AsyncStream.makeStream(of: AgentClientEvent.self, bufferingPolicy: .bufferingOldest(4096))
        callEvents = continuation
        callSummaries = calls
        return stream
    }

    // MARK: Sockets

    /// Registers a socket's queue; returns the connection number its reader uses.
    func connect(_ queue: AgentOutboundQueue) -> Int {
        nextConnection += 1
        connections[nextConnection] = queue
        return nextConnection
    }

    /// Closes connection `connection` with 1008 unless it logged in by now.
    func loginDeadline(_ connection: Int) {
        guard let queue = connections[connection], !sessions.values.contains(where: { $0.connection == connection }) else { return }
        queue.put(.message(.error(AgentError(re: nil, code: .notLoggedIn, message: "no login within 10 seconds"))))
        queue.put(.close(.policy))
    }

    /// The socket of `connection` is gone. Its session waits `reconnect_grace` for a
    /// token login, then ends.
    func disconnected(_ connection: Int) {
        connections[connection] = nil
        guard let id = sessions.values.first(where: { $0.connection == connection })?.id else { return }
        let grace = Double(policy.webphone.reconnectGrace.components.seconds)
        sessions[id]?.queue = nil
        sessions[id]?.connection = nil
        guard grace > 0 else { return end(id, bye: nil) }
        let until = clock() + grace
        sessions[id]?.detachedUntil = until
        logger.info("agent socket closed; session kept for reconnect", metadata: ["session": "\(id)", "grace_s": "\(Int(grace))"])
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(grace))
            await self?.expireDetached(id, until: until)
        }
    }

    /// Ends `id` if it is still detached since the disconnect that set `until`.
    func expireDetached(_ id: String, until: Double) {
        guard let session = sessions[id], session.queue == nil, session.detachedUntil == until else { return }
        end(id, bye: nil)
    }

    /// Ends session `id`: `bye` (and close) when still connected, its calls reported ended.
    func end(_ id: String, bye: AgentByeReason?) {
        guard let session = sessions.removeValue(forKey: id) else { return }
        if let bye, let queue = session.queue {
            queue.put(.message(.bye(bye)))
            queue.put(.close(bye == .shutdown ? .goingAway : .normal))
        }
        logger.info("agent session ended", metadata: ["session": "\(id)", "user": "\(session.user)",
                                                      "reason": "\(bye?.rawValue ?? "disconnected")"])
        callEvents?.yield(.sessionEnded(session: id, user: session.user))
    }

    /// Ends every session with `bye {reason:"shutdown"}` and closes every socket
    /// (1001), so open sockets do not hold up the listener's graceful shutdown.
    public func shutdown() {
        for id in Array(sessions.keys) { end(id, bye: .shutdown) }
        for queue in connections.values { queue.put(.close(.goingAway)) }
    }

    /// The number of sessions (connected or waiting for a reconnect).
    public var sessionCount: Int { sessions.count }
}
