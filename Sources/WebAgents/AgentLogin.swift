// Password checks for browser logins, with the SIP digest lockout policy on a
// limiter of their own: web failures never lock SIP phones out, nor the reverse.

import Crypto
import SIP

/// Checks passwords and counts failures. Owned by ``AgentHub``.
struct AgentLogin {
    /// Why a login was refused.
    enum Refusal: Equatable {
        /// Wrong user or password.
        case badCredentials
        /// Locked; retry after that many seconds.
        case locked(retryAfter: Int)
        /// Right password, but `webrtc = no`.
        case webrtcDisabled
    }

    /// The accounts by name.
    private(set) var accounts: [String: AgentAccount] = [:]
    private var limiter: AuthFailureLimiter
    private var lockEnds: [String: Double] = [:]
    private let lockout: Double
    /// What an unknown user's password is compared against, so the work is the same.
    private static let dummyDigest = Array(SHA256.hash(data: Array("wagate-no-such-user".utf8)))

    /// A login over `accounts` with `policy`'s limits.
    init(accounts: [AgentAccount], policy: AgentPolicy) {
        limiter = AuthFailureLimiter(maxFailures: policy.maxFailures, window: policy.failureWindow,
                                     lockout: policy.lockoutTime, tableSize: 16_384)
        lockout = policy.lockoutTime
        replace(accounts)
    }

    /// Takes a new set of accounts (reload); counts and lockouts stay.
    mutating func replace(_ accounts: [AgentAccount]) {
        self.accounts = Dictionary(accounts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks `password` for `user` from `source` at `now`. Returns the account or
    /// the refusal, and the lockouts this attempt started (to be logged once).
    mutating func check(user: String, password: String, source: String, now: Double)
        -> (Result<AgentAccount, RefusalError>, [AuthFailureLimiter.Lockout]) {
        if let lock = limiter.lock(source: source, user: user, now: now) {
            let key = lock == .source ? "s:" + source : "u:" + user
            let wait = max(1, Int(((lockEnds[key] ?? now + lockout) - now).rounded(.up)))
            return (.failure(RefusalError(.locked(retryAfter: wait))), [])
        }
        let account = accounts[user]
        let expected = account.map { Array(SHA256.hash(data: Array($0.secret.reveal().utf8))) } ?? Self.dummyDigest
        let given = Array(SHA256.hash(data: Array(password.utf8)))
        guard Self.constantTimeEqual(expected, given), let account else {
            let started = limiter.recordFailure(source: source, user: user, now: now)
            remember(started, now: now)
            return (.failure(RefusalError(.badCredentials)), started)
        }
        limiter.recordSuccess(source: source, user: user, now: now)
        guard account.webrtc else { return (.failure(RefusalError(.webrtcDisabled)), []) }
        return (.success(account), [])
    }

    private mutating func remember(_ lockouts: [AuthFailureLimiter.Lockout], now: Double) {
        if lockEnds.count > 16_384 { lockEnds = lockEnds.filter { $0.value > now } }
        if lockEnds.count > 16_384 { lockEnds.removeAll() }
        for lockout in lockouts { lockEnds[(lockout.scope == .source ? "s:" : "u:") + lockout.key] = lockout.until }
    }

    /// Compares two digests in time independent of where they differ.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// A refusal as an `Error`, for `Result`.
    struct RefusalError: Error, Equatable {
        /// The refusal.
        let refusal: Refusal
        init(_ refusal: Refusal) { self.refusal = refusal }
    }
}
