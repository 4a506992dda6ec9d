// What `sip_trace` never writes to the log: digest responses and the other
// credential parameters of the authentication headers, Basic/Bearer tokens, and
// SDES master keys in SDP (`a=crypto:... inline:KEY`, RFC 4568 section 6.1) or
// MIKEY blobs (`a=key-mgmt`). Everything an operator needs to debug a failed
// login stays visible: the scheme, username, realm, uri, algorithm, qop and nc.

import Foundation

/// Masking of secrets in a traced SIP message.
enum SIPTraceMasking {
    /// What replaces a secret.
    static let mask = "***"
    /// Headers whose parameters carry credentials (RFC 3261 section 20, RFC 7616).
    static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate",
        "authentication-info", "proxy-authentication-info",
    ]
    /// Parameters of those headers that are shown; every other value is masked
    /// (an allow-list, so a parameter added by a future RFC is masked too).
    static let visibleParameters: Set<String> = ["username", "realm", "uri", "algorithm", "qop", "nc", "stale", "domain"]

    /// The message's lines with secrets masked; a folded continuation line of a
    /// credential header is masked like the header itself.
    static func mask(lines: [String]) -> [String] {
        var inCredentials = false
        return lines.map { line in
            if let first = line.first, first == " " || first == "\t", inCredentials {
                return maskCredentials(line)
            }
            inCredentials = false
            if let colon = line.firstIndex(of: ":"),
               credentialHeaders.contains(line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()) {
                inCredentials = true
                return String(line[...colon]) + maskCredentials(String(line[line.index(after: colon)...]))
            }
            return maskSDP(line)
        }
    }

    /// An SDP line with its keys masked; other lines unchanged.
    static func maskSDP(_ line: String) -> String {
        if line.hasPrefix("a=key-mgmt:") { return "a=key-mgmt:" + mask }
        guard line.hasPrefix("a=crypto:") else { return line }
        var out = ""
        var rest = Substring(line)
        while let range = rest.range(of: "inline:") {
            out += rest[..<range.upperBound] + mask
            rest = rest[range.upperBound...]
            // The key runs to its lifetime/MKI (`|`), the next key (`;`) or the session parameters (space).
            rest = rest.drop { $0 != "|" && $0 != ";" && $0 != " " }
        }
        return out + rest
    }

    /// A credential header value with every parameter outside the allow-list
    /// masked, and a token68 credential (Basic, Bearer) masked whole.
    static func maskCredentials(_ value: String) -> String {
        splitParameters(value).map(maskParameter).joined(separator: ",")
    }

    private static func maskParameter(_ segment: String) -> String {
        guard let equals = segment.firstIndex(of: "=") else {
            // `Basic dXNlcjpwYXNz` or a bare token68: keep the scheme only.
            let words = segment.split(separator: " ", omittingEmptySubsequences: true)
            return words.count > 1 ? segment.replacingOccurrences(of: String(words[words.count - 1]), with: mask) : segment
        }
        let name = segment[..<equals].split(separator: " ").last.map { $0.lowercased() } ?? ""
        if visibleParameters.contains(name) { return segment }
        let value = segment[segment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if value.allSatisfy({ $0 == "=" }) && !value.isEmpty {
            // Base64 padding of a token68 (`Bearer abc==`): the whole segment is a token.
            let words = segment.split(separator: " ", omittingEmptySubsequences: true)
            return words.count > 1 ? String(segment.prefix { $0 == " " }) + words[0] + " " + mask : mask
        }
        let quoted = value.hasPrefix("\"")
        return String(segment[...equals]) + (quoted ? "\"\(mask)\"" : mask)
    }

    /// Splits at commas outside quoted strings (a quoted value may hold commas).
    private static func splitParameters(_ value: String) -> [String] {
        var parts: [String] = [], current = "", quoted = false, escaped = false
        for character in value {
            if escaped { escaped = false } else if character == "\\" && quoted { escaped = true } else if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}
