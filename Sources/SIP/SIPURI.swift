/// A SIP or SIPS URI (RFC 3261 §19.1) built from typed parts, so that no
/// caller pastes user parts, IPv6 hosts or parameters together by hand:
/// `sip:user@host:port;transport=tcp`.
public struct SIPURI: Sendable, Equatable, CustomStringConvertible {
    /// `sip` or `sips`.
    public var scheme: String
    /// The user part, unescaped (a number, a user name, a trunk's `dial`); nil for none.
    public var user: String?
    /// A host name, IPv4 address or IPv6 address (bracketed or not).
    public var host: String
    /// The port; nil leaves it to the scheme's default.
    public var port: Int?
    /// The `transport` parameter (`udp`, `tcp`, `tls`), written lower-case when set;
    /// nil writes none, which means UDP for `sip:` (RFC 3261 §19.1.2).
    public var transport: String?

    /// Creates a URI.
    public init(scheme: String = "sip", user: String? = nil, host: String, port: Int? = nil,
                transport: String? = nil) {
        self.scheme = scheme
        self.user = user
        self.host = host
        self.port = port
        self.transport = transport
    }

    /// `host` as it appears in a URI: an IPv6 address in brackets (RFC 3261 §25.1 `IPv6reference`).
    public static func hostPart(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// The URI text; the user part is %-escaped by ``SIPHeaderText/userPart(_:)``.
    public var description: String {
        var text = scheme + ":"
        if let user { text += SIPHeaderText.userPart(user) + "@" }
        text += Self.hostPart(host)
        if let port { text += ":\(port)" }
        if let transport { text += ";transport=\(transport.lowercased())" }
        return text
    }
}
