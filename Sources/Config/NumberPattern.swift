// Patterns over E.164 numbers: used for destination policies (what a user or
// trunk may dial) and for inbound routes (which callers go where).

/// A pattern over `+E164` numbers: an exact number or a prefix glob.
///
/// Syntax: `+` followed by digits, optionally ending in `*`. `+*` matches any
/// number, `+44*` every number starting with +44, `+14085551234` only itself.
public enum NumberPattern: Sendable, Hashable, CustomStringConvertible {
    /// Matches exactly this `+E164` number.
    case exact(String)
    /// Matches every number starting with this text (which starts with `+`).
    case prefix(String)

    /// Parses a pattern; nil unless it is `+`, then digits (at most 15), and
    /// optionally a final `*` (an exact number needs at least one digit).
    public init?(_ text: String) {
        guard text.hasPrefix("+") else { return nil }
        var body = text.dropFirst()
        let isPrefix = body.hasSuffix("*")
        if isPrefix { body = body.dropLast() }
        guard body.utf8.count <= 15, body.isEmpty || TextScanning.isDigits(body) else { return nil }
        if isPrefix {
            self = .prefix("+" + body)
        } else {
            guard !body.isEmpty else { return nil }
            self = .exact("+" + body)
        }
    }

    /// True when `e164` (a `+`-prefixed number) matches.
    public func matches(_ e164: String) -> Bool {
        switch self {
        case .exact(let number): e164 == number
        case .prefix(let start): e164.hasPrefix(start)
        }
    }

    /// The pattern as written: `+44*`, `+*`, `+14085551234`.
    public var description: String {
        switch self {
        case .exact(let number): number
        case .prefix(let start): start + "*"
        }
    }
}

/// Which destinations a user or trunk may call: `allow` and `deny` pattern lists.
///
/// Deny wins over allow; with no allow patterns nothing is permitted (secure by
/// default; the echo extension is not an E.164 number and is checked elsewhere).
public struct DestinationPolicy: Sendable, Equatable {
    /// Patterns that permit a destination.
    public var allow: [NumberPattern]
    /// Patterns that forbid a destination, whatever `allow` says.
    public var deny: [NumberPattern]

    /// Creates a policy.
    public init(allow: [NumberPattern] = [], deny: [NumberPattern] = []) {
        self.allow = allow
        self.deny = deny
    }

    /// True when `e164` (a normalised `+E164` number) matches an allow pattern
    /// and no deny pattern.
    public func permits(_ e164: String) -> Bool {
        guard e164.hasPrefix("+") else { return false }
        if deny.contains(where: { $0.matches(e164) }) { return false }
        return allow.contains { $0.matches(e164) }
    }
}
