// What the hub knows of a user who may log in from a browser.

public import Config

/// A `type = user` section as the web login sees it.
public struct AgentAccount: Sendable, Equatable {
    /// The user name.
    public var name: String
    /// The password (the SIP digest secret).
    public var secret: Secret
    /// `webrtc = yes`.
    public var webrtc: Bool
    /// The caller-id name, if any.
    public var displayName: String?
    /// `max_calls`.
    public var maxCalls: Int
    /// The business numbers the user may call from (E.164).
    public var numbers: [String]

    /// Creates an account.
    public init(name: String, secret: Secret, webrtc: Bool, displayName: String? = nil, maxCalls: Int = 2, numbers: [String] = []) {
        self.name = name
        self.secret = secret
        self.webrtc = webrtc
        self.displayName = displayName
        self.maxCalls = maxCalls
        self.numbers = numbers
    }

    /// Every user of `config`, with the E.164 numbers they may call from
    /// (their `numbers`, else the first configured number).
    public static func accounts(of config: GatewayConfig) -> [AgentAccount] {
        config.users.map { user in
            let names = user.numbers.isEmpty ? Array(config.numbers.prefix(1).map(\.name)) : user.numbers
            return AgentAccount(name: user.name, secret: user.secret, webrtc: user.webrtc, displayName: user.callerID?.name,
                                maxCalls: user.maxCalls, numbers: names.compactMap { config.number(named: $0)?.businessNumber })
        }
    }
}

/// The login policy: `[general] auth_*` (the same numbers as SIP digest) and `[webphone]`.
public struct AgentPolicy: Sendable, Equatable {
    /// Failures that lock out (0: never).
    public var maxFailures: Int
    /// Seconds over which failures count.
    public var failureWindow: Double
    /// Seconds a lockout lasts.
    public var lockoutTime: Double
    /// `[webphone]`.
    public var webphone: WebPhoneConfig
    /// Whether the `[http]` listener has TLS.
    public var listenerTLS: Bool

    /// The policy of `config`.
    public init(config: GatewayConfig) {
        maxFailures = config.general.authMaxFailures ?? 0
        failureWindow = Double(config.general.authFailureWindow.components.seconds)
        lockoutTime = Double(config.general.authLockoutTime.components.seconds)
        webphone = config.webphone
        listenerTLS = config.http.tls != nil
    }
}
