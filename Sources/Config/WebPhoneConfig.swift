// The [webphone] section: browser agents on the [http] listener, and the
// [http] listener's own TLS files.

/// The `[webphone]` section: users with `webrtc = yes` log in from a browser
/// over the `wagate.agent.v1` WebSocket at ``socketPath`` on the `[http]` listener.
public struct WebPhoneConfig: Sendable, Equatable {
    /// Whether the socket is served (`enabled`; default: yes when some user has `webrtc = yes`).
    public var enabled: Bool
    /// The page's path (`path`, default `/phone`); the socket is at `<path>/ws`.
    public var path: String
    /// How long a login token is valid (`token_lifetime`, seconds, default 12 h, not sliding).
    public var tokenLifetime: Duration
    /// Sessions one user may hold at once (`max_sessions_per_user`, default 3); one more
    /// login ends the oldest.
    public var maxSessionsPerUser: Int
    /// How long a dropped socket's session waits for the page to log in again with its
    /// token (`reconnect_grace`, seconds, default 10).
    public var reconnectGrace: Duration
    /// Origins (`https://host[:port]`) besides the listener's own allowed to open the socket.
    public var allowedOrigins: [String]
    /// Reverse proxies whose `X-Forwarded-Proto: https` counts as TLS (`trusted_proxies`).
    public var trustedProxies: [CIDR]
    /// How long a page that dialled or requested a permission is told when it is granted
    /// (`permission_watch`, seconds, default 24 h).
    public var permissionWatch: Duration

    /// The defaults; `enabled` is decided from the users when the key is absent.
    public static let defaults = WebPhoneConfig(
        enabled: false, path: "/phone", tokenLifetime: .seconds(43_200), maxSessionsPerUser: 3,
        reconnectGrace: .seconds(10), allowedOrigins: [], trustedProxies: [], permissionWatch: .seconds(86_400))

    /// Creates a `[webphone]` configuration.
    public init(enabled: Bool, path: String, tokenLifetime: Duration, maxSessionsPerUser: Int,
                reconnectGrace: Duration, allowedOrigins: [String], trustedProxies: [CIDR], permissionWatch: Duration) {
        self.enabled = enabled
        self.path = path
        self.tokenLifetime = tokenLifetime
        self.maxSessionsPerUser = maxSessionsPerUser
        self.reconnectGrace = reconnectGrace
        self.allowedOrigins = allowedOrigins
        self.trustedProxies = trustedProxies
        self.permissionWatch = permissionWatch
    }

    /// The WebSocket's path: `<path>/ws`.
    public var socketPath: String { path + "/ws" }
}

/// The `[http]` listener's certificate and key (`tls_certificate`, `tls_private_key`,
/// PEM files): with them the listener serves HTTPS and WSS only.
public struct HTTPTLSConfig: Sendable, Equatable {
    /// The certificate chain file (PEM), leaf first.
    public var certificate: String
    /// The private key file (PEM).
    public var privateKey: String

    /// Creates the pair.
    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }
}
