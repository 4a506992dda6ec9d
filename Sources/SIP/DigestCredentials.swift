/// The parameters of one `Authorization` / `Proxy-Authorization` Digest header
/// (RFC 3261 §22.4, RFC 7616 §3.4), as sent by a client.
public struct DigestCredentials: Sendable, Equatable {
    /// `username`
    public var username: String
    /// `realm`
    public var realm: String
    /// `nonce`, as issued by us.
    public var nonce: String
    /// `uri` (the digest-uri the client hashed).
    public var uri: String
    /// `response`, lowercase hex.
    public var response: String
    /// `algorithm` (MD5 when absent).
    public var algorithm: DigestAlgorithm
    /// `qop` (`auth`), nil for RFC 2069 clients.
    public var qop: String?
    /// `nc`, 8 hex digits, with qop.
    public var nonceCount: String?
    /// `cnonce`, with qop.
    public var clientNonce: String?

    /// Builds credentials from the header's `name=value` parameters (quotes removed).
    /// Returns nil when a required parameter is missing or the algorithm is unknown.
    public init?(parameters: [String: String]) {
        guard let username = parameters["username"], let realm = parameters["realm"],
              let nonce = parameters["nonce"], let uri = parameters["uri"],
              let response = parameters["response"] else { return nil }
        guard let algorithm = DigestAlgorithm(token: parameters["algorithm"] ?? "MD5") else { return nil }
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response.lowercased()
        self.algorithm = algorithm
        self.qop = parameters["qop"]
        self.nonceCount = parameters["nc"]
        self.clientNonce = parameters["cnonce"]
    }

    /// Splits sofia's `au_params` entries (`name=value` or `name="value"`) into a dictionary
    /// with lowercase names and unquoted values.
    public static func parameters(from entries: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = entry[..<equals].trimmingSpaces().lowercased()
            var value = entry[entry.index(after: equals)...].trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            result[name] = value
        }
        return result
    }
}

/// A digest hash algorithm (RFC 7616 §3.3, RFC 8760 for SIP).
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    /// MD5, what nearly every deployed SIP phone speaks.
    case md5 = "MD5"
    /// SHA-256 (RFC 8760).
    case sha256 = "SHA-256"

    /// Parses the `algorithm` token case-insensitively.
    public init?(token: String) {
        switch token.uppercased() {
        case "MD5": self = .md5
        case "SHA-256": self = .sha256
        default: return nil
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
