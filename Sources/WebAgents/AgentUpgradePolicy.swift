// Who may open the socket (Origin, subprotocol), and over which connections a
// credential may travel (TLS, loopback, or a trusted proxy's HTTPS).

public import Config
import NetTypes

/// The checks made on the upgrade request.
public struct AgentUpgradePolicy: Sendable {
    /// `[webphone] allowed_origins`.
    public var allowedOrigins: [String]
    /// `[webphone] trusted_proxies`.
    public var trustedProxies: [CIDR]
    /// Whether the listener itself has TLS.
    public var listenerTLS: Bool

    /// The policy of `[webphone]` on a listener with or without TLS.
    public init(webphone: WebPhoneConfig, listenerTLS: Bool) {
        allowedOrigins = webphone.allowedOrigins
        trustedProxies = webphone.trustedProxies
        self.listenerTLS = listenerTLS
    }

    /// Why an upgrade is refused, or nil when it may go ahead. `origin` and `host` are the
    /// request's headers; `protocols` its `Sec-WebSocket-Protocol` values.
    public func refusal(origin: String?, host: String?, protocols: [String]) -> String? {
        guard protocols.contains(AgentProtocol.subprotocol) else {
            return "the client did not offer the subprotocol \(AgentProtocol.subprotocol)"
        }
        guard let origin else { return nil }
        let lower = origin.lowercased()
        if allowedOrigins.contains(lower) { return nil }
        if let host, let authority = Self.authority(ofOrigin: lower), authority == host.lowercased() { return nil }
        return "origin not allowed"
    }

    /// Whether a password or token may be accepted from `peer` (its IP address text), given
    /// the upgrade's `X-Forwarded-Proto`.
    public func allowsCredentials(peer: String, forwardedProto: String?) -> Bool {
        if listenerTLS { return true }
        guard let parsed = IPAddress(peer) else { return false }
        let address = parsed.unmappedIPv4 ?? parsed
        let bytes = address.bytes
        if address.isIPv4 ? bytes.first == 127 : bytes == Array(repeating: 0, count: 15) + [1] { return true }
        guard forwardedProto?.lowercased() == "https" else { return false }
        return trustedProxies.contains { $0.contains(address) }
    }

    /// `host[:port]` of `scheme://host[:port]`.
    static func authority(ofOrigin origin: String) -> String? {
        guard let range = origin.range(of: "://") else { return nil }
        let rest = origin[range.upperBound...]
        return rest.isEmpty || rest.contains("/") ? nil : String(rest)
    }
}
