// Login tokens: 32 random bytes given to the page once, of which only the
// SHA-256 is kept, with the user and the expiry, in a bounded table.

import Crypto
import Foundation

/// Issued tokens. Owned by ``AgentHub``; the clock is passed in.
struct AgentTokens {
    /// What is kept of one token.
    struct Entry: Equatable {
        /// The user it logs in.
        var user: String
        /// When it stops working (seconds on the hub's clock).
        var expiresAt: Double
        /// The address it was issued to (for the log).
        var issuedTo: String
    }

    /// The most tokens kept; when full, the one expiring first is dropped.
    let capacity: Int
    private var entries: [String: Entry] = [:]

    /// A table holding at most `capacity` (at least 16) tokens.
    init(capacity: Int) { self.capacity = max(16, capacity) }

    /// The number of tokens held.
    var count: Int { entries.count }

    /// Issues a token for `user` valid for `lifetime` seconds from `now`; returns its text.
    mutating func issue(user: String, issuedTo: String, lifetime: Double, now: Double) -> String {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let token = Self.base64URL(bytes)
        if entries.count >= capacity { evict(now: now) }
        entries[Self.digest(token)] = Entry(user: user, expiresAt: now + lifetime, issuedTo: issuedTo)
        return token
    }

    /// The entry of a valid `token` at `now`; an expired one is dropped.
    mutating func validate(_ token: String, now: Double) -> Entry? {
        let key = Self.digest(token)
        guard let entry = entries[key] else { return nil }
        guard entry.expiresAt > now else {
            entries[key] = nil
            return nil
        }
        return entry
    }

    /// Revokes `token`.
    mutating func revoke(_ token: String) { entries[Self.digest(token)] = nil }

    /// Revokes every token of the users `users` holds.
    mutating func revoke(users: Set<String>) { entries = entries.filter { !users.contains($0.value.user) } }

    private mutating func evict(now: Double) {
        entries = entries.filter { $0.value.expiresAt > now }
        while entries.count >= capacity, let soonest = entries.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
            entries[soonest.key] = nil
        }
    }

    /// The table key of `token`: its SHA-256, hex.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Base64url without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
