import Synchronization

/// The registrar's binding table (RFC 3261 §10.3): contacts per user with
/// expiry, refresh, several contacts per user, `Expires: 0` and `*` removal.
///
/// Thread-safety: the SIP thread writes, call routing reads from any thread;
/// a `Mutex` guards the table (a REGISTER is not a per-packet path).
public final class Registrar: Sendable {
    /// How a REGISTER was judged.
    public enum Outcome: Sendable, Equatable {
        /// 200 OK listing these current bindings.
        case ok([RegistrationBinding])
        /// 423 Interval Too Brief with this Min-Expires.
        case intervalTooBrief(minimum: Int)
        /// 400 with a reason.
        case badRequest(String)
    }

    /// Expiry limits in seconds.
    public struct Limits: Sendable {
        /// Below this (and above 0) a REGISTER gets 423.
        public var minimum: Int
        /// Longer requests are shortened to this.
        public var maximum: Int
        /// Used when the phone asks for nothing.
        public var defaultExpires: Int
        /// Creates limits.
        public init(minimum: Int, maximum: Int, defaultExpires: Int) {
            self.minimum = minimum
            self.maximum = maximum
            self.defaultExpires = defaultExpires
        }
    }

    private let table = Mutex<[String: [RegistrationBinding]]>([:])
    private let limits: Limits
    private let maxContactsPerUser = 10

    /// Creates an empty registrar.
    public init(limits: Limits) {
        self.limits = limits
    }

    /// The live bindings of `user` at `now`, newest first.
    public func bindings(for user: String, now: Double) -> [RegistrationBinding] {
        table.withLock { ($0[user] ?? []).filter { $0.expiresAt > now } }
    }

    /// Every live binding, for persistence.
    public func allBindings(now: Double) -> [RegistrationBinding] {
        table.withLock { $0.values.flatMap { $0 }.filter { $0.expiresAt > now } }
    }

    /// Removes one contact of `user` (it stopped answering keepalives); true when it existed.
    @discardableResult
    public func remove(user: String, contact: String) -> Bool {
        table.withLock { table in
            guard let list = table[user], list.contains(where: { $0.contact == contact }) else { return false }
            let rest = list.filter { $0.contact != contact }
            table[user] = rest.isEmpty ? nil : rest
            return true
        }
    }

    /// Drops every binding of users not in `users` (removed by a reload) and
    /// returns those users, sorted.
    @discardableResult
    public func retain(users: Set<String>) -> [String] {
        table.withLock { table in
            let removed = table.keys.filter { !users.contains($0) }.sorted()
            for user in removed { table[user] = nil }
            return removed
        }
    }

    /// Restores bindings saved before a restart (expired ones are dropped).
    public func restore(_ bindings: [RegistrationBinding], now: Double) {
        table.withLock { table in
            for binding in bindings where binding.expiresAt > now {
                table[binding.user, default: []].append(binding)
            }
        }
    }

    /// Applies an authenticated REGISTER from `user`.
    public func register(_ request: SIPRequest, user: String, now: Double) -> Outcome {
        let wildcard = request.contacts.contains { $0.isWildcard }
        if wildcard {
            guard request.contacts.count == 1, request.expires == 0 else {
                return .badRequest("Contact: * needs Expires: 0 and no other contact")
            }
            table.withLock { $0[user] = nil }
            return .ok([])
        }
        // Only SIP contacts: a `wagate-agent:` URI names a browser session, which a
        // phone must not be able to claim, and wagate reaches nothing else.
        guard request.contacts.allSatisfy(\.hasSIPScheme) else { return .badRequest("Contact must be a sip: or sips: URI") }
        for contact in request.contacts {
            let asked = contact.expires ?? request.expires ?? limits.defaultExpires
            if asked > 0 && asked < limits.minimum { return .intervalTooBrief(minimum: limits.minimum) }
        }
        let current: [RegistrationBinding] = table.withLock { table in
            var list = (table[user] ?? []).filter { $0.expiresAt > now }
            for contact in request.contacts {
                let asked = contact.expires ?? request.expires ?? limits.defaultExpires
                let granted = min(asked, limits.maximum)
                list.removeAll { $0.contact == contact.uri }
                guard granted > 0 else { continue }
                list.insert(binding(contact.uri, user, request, expiresAt: now + Double(granted)), at: 0)
            }
            if list.count > maxContactsPerUser { list.removeLast(list.count - maxContactsPerUser) }
            table[user] = list.isEmpty ? nil : list
            return list
        }
        return .ok(current)
    }

    private func binding(_ uri: String, _ user: String, _ request: SIPRequest, expiresAt: Double) -> RegistrationBinding {
        RegistrationBinding(
            user: user, contact: uri, expiresAt: expiresAt,
            sourceHost: request.source.host, sourcePort: request.source.port, transport: request.source.transport,
            callID: request.callID, cseq: request.cseq, userAgent: request.userAgent
        )
    }
}
