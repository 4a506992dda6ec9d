// What a browser (or any front end) sends: `wagate.agent.v1` client messages.

/// An agent's availability: an `away` session is not one of its user's contacts.
public enum AgentPresence: String, Sendable, Equatable, CaseIterable {
    /// Rings for the user's calls.
    case available
    /// Logged in but not ringing.
    case away
}

/// How a browser refuses a call it was offered.
public enum AgentRejectReason: String, Sendable, Equatable, CaseIterable {
    /// 603 Decline (the default).
    case decline
    /// 486 Busy Here.
    case busy
}

/// A login's credential: a password for a user, or a token from an earlier `welcome`.
public enum AgentCredential: Sendable, Equatable, CustomStringConvertible {
    /// `user` and `password`.
    case password(user: String, password: String)
    /// `token`.
    case token(String)

    /// Names the kind only: credentials never reach a log.
    public var description: String {
        switch self {
        case .password(let user, _): "password for \(user)"
        case .token: "token"
        }
    }
}

/// `login`.
public struct AgentLoginRequest: Sendable, Equatable {
    /// The credential.
    public var credential: AgentCredential
    /// The presence to start with.
    public var presence: AgentPresence

    /// Creates a login.
    public init(credential: AgentCredential, presence: AgentPresence = .available) {
        self.credential = credential
        self.presence = presence
    }
}

/// A request about calls, handed to the call layer (see ``AgentClientEvent``).
public enum AgentCallRequest: Sendable, Equatable {
    /// Place a call to `to` with the browser's offer.
    case dial(to: String, sdp: String)
    /// The page is alerting for `call`.
    case ringing(call: String)
    /// Answer `call` with the browser's answer to wagate's offer.
    case answer(call: String, sdp: String)
    /// Refuse `call`.
    case reject(call: String, reason: AgentRejectReason)
    /// End `call` (CANCEL before answer, BYE after).
    case hangup(call: String)
    /// Send `digits` as RFC 4733 events of `durationMS` each.
    case dtmf(call: String, digits: String, durationMS: Int)
    /// Hold or resume `call`.
    case hold(call: String, on: Bool)
    /// Mute or unmute the agent on `call`.
    case mute(call: String, on: Bool)
    /// Transfer `call` blind to `to`, or attended, replacing the agent's call `replaces`.
    case transfer(call: String, to: String?, replaces: String?)
    /// Ask the WhatsApp user `to` for call permission.
    case permissionRequest(to: String)
}

/// One client message, without its request id.
public enum AgentClientMessage: Sendable, Equatable {
    /// `login`.
    case login(AgentLoginRequest)
    /// `logout`.
    case logout
    /// `presence`.
    case presence(AgentPresence)
    /// `history` with at most `limit` calls.
    case history(limit: Int)
    /// `ping`.
    case ping
    /// `candidate`: reserved (wagate is ICE-lite toward browsers) and ignored.
    case candidate
    /// A call request.
    case call(AgentCallRequest)

    /// The message's `type`.
    public var type: String {
        switch self {
        case .login: "login"
        case .logout: "logout"
        case .presence: "presence"
        case .history: "history"
        case .ping: "ping"
        case .candidate: "candidate"
        case .call(let request): request.type
        }
    }
}

extension AgentCallRequest {
    /// The message's `type`.
    public var type: String {
        switch self {
        case .dial: "dial"
        case .ringing: "ringing"
        case .answer: "answer"
        case .reject: "reject"
        case .hangup: "hangup"
        case .dtmf: "dtmf"
        case .hold: "hold"
        case .mute: "mute"
        case .transfer: "transfer"
        case .permissionRequest: "permission.request"
        }
    }

    /// The call it is about, when it names one.
    public var call: String? {
        switch self {
        case .dial, .permissionRequest: nil
        case .ringing(let call), .answer(let call, _), .reject(let call, _), .hangup(let call), .dtmf(let call, _, _),
             .hold(let call, _), .mute(let call, _), .transfer(let call, _, _): call
        }
    }
}

/// A client message with its request id.
public struct AgentRequest: Sendable, Equatable {
    /// The client's `id` (at most 32 printable characters); nil when absent.
    public var id: String?
    /// The message.
    public var message: AgentClientMessage

    /// Creates a request.
    public init(id: String?, message: AgentClientMessage) {
        self.id = id
        self.message = message
    }
}
