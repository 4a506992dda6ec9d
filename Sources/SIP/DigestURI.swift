/// Compares the digest `uri` of a request's credentials with its Request-URI
/// (RFC 3261 §22.4 and RFC 7616 §3.4.6: the server must check that they name
/// the same resource, so credentials captured on one request cannot be used
/// for another, e.g. an INVITE to a different number).
///
/// Both are parsed as SIP URIs and compared by the RFC 3261 §19.1.4 rules for
/// the parts that name the resource:
/// - the scheme (`sip`, `sips`, `tel`), case-insensitively;
/// - the user part (with its password, if any), after undoing `%XX` escapes,
///   case-sensitively;
/// - the host, case-insensitively;
/// - the port, where an absent port only equals an absent port.
/// URI parameters (`;transport=…`) and headers (`?…`) are not compared:
/// phones differ in whether they copy them into `uri`. Anything that does not
/// parse as a URI does not match.
enum DigestURI {
    /// The compared parts of a URI.
    struct Parts: Equatable {
        var scheme: String
        var user: String
        var host: String
        var port: Int?
    }

    /// Whether `digestURI` and `requestURI` name the same resource.
    static func matches(_ digestURI: String, requestURI: String) -> Bool {
        guard let a = parts(digestURI), let b = parts(requestURI) else { return false }
        return a == b
    }

    /// Parses `text` (optionally in angle brackets) into its compared parts.
    static func parts(_ text: String) -> Parts? {
        var rest = Substring(text.trimmingSpaces())
        if rest.hasPrefix("<"), rest.hasSuffix(">") { rest = rest.dropFirst().dropLast() }
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let scheme = rest[..<colon].lowercased()
        guard ["sip", "sips", "tel"].contains(scheme) else { return nil }
        rest = rest[rest.index(after: colon)...]
        var user = ""
        if let at = rest.firstIndex(of: "@") {
            user = SofiaMessageReader.unescape(String(rest[..<at]))
            rest = rest[rest.index(after: at)...]
        } else if scheme == "tel" {
            let end = rest.firstIndex(where: { $0 == ";" || $0 == "?" }) ?? rest.endIndex
            return Parts(scheme: scheme, user: SofiaMessageReader.unescape(String(rest[..<end])), host: "", port: nil)
        }
        let end = rest.firstIndex(where: { $0 == ";" || $0 == "?" }) ?? rest.endIndex
        guard let (host, port) = hostPort(rest[..<end]) else { return nil }
        return Parts(scheme: scheme, user: user, host: host, port: port)
    }

    private static func hostPort(_ text: Substring) -> (String, Int?)? {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[...close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else { return nil }
        guard let portText else { return (host.lowercased(), nil) }
        guard portText.count <= 5, let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (host.lowercased(), port)
    }
}
