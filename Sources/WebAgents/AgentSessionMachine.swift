// One socket's protocol rules, pure and clock-injected: login first, the rate
// limit, and the count of bad messages. The login deadline is the hub's timer.

/// What the socket does with one received frame.
enum AgentStep: Equatable {
    /// Send this to the client.
    case send(AgentServerMessage)
    /// Check this login.
    case login(id: String?, AgentLoginRequest)
    /// Hand this request of a logged-in session to the hub.
    case handle(AgentRequest)
    /// Send `message` (if any), then close with `code`.
    case close(AgentCloseCode, message: AgentServerMessage?)
}

/// The per-socket machine.
struct AgentSessionMachine {
    /// Where the socket is.
    enum Phase: Equatable {
        /// Upgraded; nothing but `login` and `ping` until a login succeeds.
        case awaitingLogin
        /// Logged in as this session.
        case loggedIn(session: String)
        /// Closing; nothing more is read.
        case closed
    }

    private(set) var phase = Phase.awaitingLogin
    private(set) var badMessages = 0
    private var tokens: Double
    private var updated: Double

    /// A machine for a socket upgraded at `now`.
    init(now: Double) {
        updated = now
        tokens = AgentProtocol.messagesPerSecond * 2
    }

    /// The step for one frame decoded as `decoded` at `now`.
    mutating func receive(_ decoded: Result<AgentRequest, AgentError>, now: Double) -> AgentStep? {
        guard phase != .closed else { return nil }
        if let wait = takeToken(now: now) {
            return .send(.error(AgentError(re: try? decoded.get().id, code: .rateLimited,
                                           message: "more than 20 messages a second", retryAfter: wait)))
        }
        let request: AgentRequest
        switch decoded {
        case .failure(let error): return refuse(error)
        case .success(let decodedRequest): request = decodedRequest
        }
        switch (phase, request.message) {
        case (_, .ping): return .send(.pong)
        case (_, .candidate): return .send(.ok(re: request.id))
        case (.awaitingLogin, .login(let login)): return .login(id: request.id, login)
        case (.awaitingLogin, _):
            return refuse(AgentError(re: request.id, code: .notLoggedIn, message: "log in first"))
        case (.loggedIn, .login):
            return refuse(AgentError(re: request.id, code: .alreadyLoggedIn, message: "this socket is logged in"))
        case (.loggedIn, .logout):
            phase = .closed
            return .handle(request)
        case (.loggedIn, _): return .handle(request)
        case (.closed, _): return nil
        }
    }

    /// A login succeeded as `session`.
    mutating func loggedIn(session: String) { phase = .loggedIn(session: session) }

    /// Counts a bad message: its error, or the close once there were too many.
    private mutating func refuse(_ error: AgentError) -> AgentStep {
        badMessages += 1
        guard badMessages >= AgentProtocol.maxBadMessages else { return .send(.error(error)) }
        phase = .closed
        return .close(.policy, message: .error(error))
    }

    /// A token bucket (20/s, burst 40): nil when a message may pass, else the seconds to wait.
    private mutating func takeToken(now: Double) -> Int? {
        let rate = AgentProtocol.messagesPerSecond
        if now > updated {
            tokens = min(rate * 2, tokens + (now - updated) * rate)
            updated = now
        }
        guard tokens < 1 else {
            tokens -= 1
            return nil
        }
        return 1
    }
}
