// The [admin] section: the operators' REST API listener and its bearer token.

/// The `[admin]` section. Absent means no admin listener at all, as with
/// Asterisk's ARI, which stays off until `ari.conf` enables it.
public struct AdminConfig: Sendable, Equatable {
    /// Where the admin listener binds (`bind`, default `127.0.0.1:8091`).
    public var bind: SocketAddressSpec
    /// True when a non-loopback `bind` was explicitly allowed without TLS
    /// (`allow_insecure_bind = yes`): the operator puts a TLS proxy in front.
    public var allowInsecureBind: Bool
    /// The bearer token every route but `/healthz` and `/readyz` requires
    /// (`token`, at least 16 characters, normally `${VAR}`).
    public var token: Secret

    /// The default listener address (next to the onboarding listener's 8090).
    public static let defaultBind = SocketAddressSpec(host: "127.0.0.1", port: 8091)

    /// Creates an `[admin]` configuration.
    public init(bind: SocketAddressSpec = defaultBind, allowInsecureBind: Bool = false, token: Secret) {
        self.bind = bind
        self.allowInsecureBind = allowInsecureBind
        self.token = token
    }
}
