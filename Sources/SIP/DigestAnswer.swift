/// Our answer to a server's Digest challenge: the value of the
/// `Authorization` or `Proxy-Authorization` header of the retried request
/// (RFC 7616 §3.4, RFC 8760, RFC 3261 §22.2).
///
/// The `uri` is the Request-URI exactly as it is on the wire, transport
/// parameter and all: servers such as Meta's compare it byte for byte. With
/// `qop=auth` the answer carries our `cnonce` and the nonce count `nc` (8 hex
/// digits); the caller counts `nc` up per nonce. Values are quoted with `"`
/// and `\` escaped; a user name or URI holding a control character is never
/// written (nil), so no header can be injected.
public struct DigestAnswer: Sendable, Equatable {
    /// The challenge answered.
    public var challenge: DigestChallenge
    /// Request method (`INVITE`).
    public var method: String
    /// The Request-URI as sent.
    public var uri: String
    /// Our user name, in clear.
    public var username: String
    /// Our client nonce (at least 16 hex digits).
    public var clientNonce: String
    /// How many requests have used this nonce, this one included (from 1).
    public var nonceCount: UInt32

    /// An answer to `challenge` for a request `method` to `uri`.
    public init(challenge: DigestChallenge, method: String, uri: String, username: String,
                clientNonce: String, nonceCount: UInt32) {
        self.challenge = challenge
        self.method = method
        self.uri = uri
        self.username = username
        self.clientNonce = clientNonce
        self.nonceCount = nonceCount
    }

    /// `nc` as sent: 8 lowercase hex digits.
    public var nonceCountText: String {
        let hex = String(nonceCount, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// The `response` value for `password` (RFC 7616 §3.4.1–§3.4.3).
    public func response(password: String) -> String {
        let c = challenge
        var ha1 = DigestAuthenticator.hash("\(username):\(c.realm):\(password)", c.algorithm)
        if c.session {
            ha1 = DigestAuthenticator.hash("\(ha1):\(c.nonce):\(clientNonce)", c.algorithm)
        }
        let ha2 = DigestAuthenticator.hash("\(method):\(uri)", c.algorithm)
        guard c.qopAuth else { return DigestAuthenticator.hash("\(ha1):\(c.nonce):\(ha2)", c.algorithm) }
        return DigestAuthenticator.hash("\(ha1):\(c.nonce):\(nonceCountText):\(clientNonce):auth:\(ha2)", c.algorithm)
    }

    /// The header value, or nil when a value cannot be written safely.
    public func header(password: String) -> String? {
        let c = challenge
        let quotedValues = [username, c.realm, c.nonce, uri, clientNonce, c.opaque ?? ""]
        guard quotedValues.allSatisfy(Self.isWritable), Self.isWritable(method), !method.isEmpty else { return nil }
        var parts = [
            "username=\(Self.quoted(username))", "realm=\(Self.quoted(c.realm))", "nonce=\(Self.quoted(c.nonce))",
            "uri=\(Self.quoted(uri))", "response=\"\(response(password: password))\"", "algorithm=\(c.algorithmToken)",
        ]
        if c.qopAuth {
            parts += ["cnonce=\(Self.quoted(clientNonce))", "qop=auth", "nc=\(nonceCountText)"]
        }
        if let opaque = c.opaque { parts.append("opaque=\(Self.quoted(opaque))") }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// A fresh client nonce: 128 random bits as 32 hex digits.
    public static func makeClientNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    private static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    private static func isWritable(_ value: String) -> Bool {
        value.utf8.count <= DigestChallenge.maximumLength && !value.utf8.contains { $0 < 0x20 || $0 == 0x7f }
    }
}
