import Testing
@testable import SIP

@Suite struct AuthFailureLimiterTests {
    @Test func locksOutAfterNFailuresWithinTheWindowThenReleases() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        var started: [AuthFailureLimiter.Lockout] = []
        for t in [0.0, 10, 20] { started += limiter.recordFailure(source: "192.0.2.1", user: "alice", now: t) }
        #expect(started.map(\.scope) == [.source, .user], "each lockout is reported once")
        #expect(limiter.lock(source: "192.0.2.1", user: nil, now: 21) == .source)
        #expect(limiter.lock(source: "198.51.100.9", user: "alice", now: 21) == .user)
        #expect(limiter.lock(source: "198.51.100.9", user: "bob", now: 21) == nil)
        #expect(limiter.lock(source: "192.0.2.1", user: nil, now: 321) == nil)
        #expect(limiter.recordFailure(source: "192.0.2.1", user: "alice", now: 22).isEmpty, "no second report while locked")
    }

    @Test func failuresOutsideTheWindowDoNotAccumulate() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        for t in [0.0, 100, 200] { _ = limiter.recordFailure(source: "192.0.2.1", user: "alice", now: t) }
        #expect(limiter.lock(source: "192.0.2.1", user: "alice", now: 201) == nil)
    }

    @Test func aKnownGoodAddressStillAuthenticatesWhileAStrangerLocksTheUser() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        limiter.recordSuccess(source: "192.0.2.7", user: "alice", now: 0)
        for t in [1.0, 2, 3] { _ = limiter.recordFailure(source: "203.0.113.66", user: "alice", now: t) }
        #expect(limiter.lock(source: "203.0.113.66", user: "alice", now: 4) == .source)
        #expect(limiter.lock(source: "198.51.100.9", user: "alice", now: 4) == .user, "a stranger elsewhere is refused")
        #expect(limiter.lock(source: "192.0.2.7", user: "alice", now: 4) == nil, "the phone's own address is not")
        #expect(limiter.lock(source: "192.0.2.7", user: "alice", now: 4 + 86400 + 1) == nil, "the user lock has ended by then")
    }

    @Test func aKnownGoodAddressLosesItsStandingAfterItsOwnFailures() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        limiter.recordSuccess(source: "192.0.2.7", user: "alice", now: 0)
        for t in [1.0, 2, 3] { _ = limiter.recordFailure(source: "192.0.2.7", user: "alice", now: t) }
        #expect(limiter.lock(source: "192.0.2.7", user: "alice", now: 4) == .source)
    }

    @Test func theSourceTableIsBounded() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300, tableSize: 1000)
        for i in 0..<50_000 { _ = limiter.recordFailure(source: "10.\(i >> 16).\((i >> 8) & 255).\(i & 255)", user: "alice", now: Double(i) / 1000) }
        #expect(limiter.trackedSources == 1000)
    }
}

@Suite struct BoundedLRUTests {
    @Test func evictsTheLeastRecentlyUsed() {
        var table = BoundedLRU<String, Int>(capacity: 3)
        table.set(1, for: "a")
        table.set(2, for: "b")
        table.set(3, for: "c")
        #expect(table.value(for: "a") == 1)
        let evicted = table.set(4, for: "d")
        #expect(evicted?.key == "b")
        #expect(table.peek("b") == nil && table.peek("a") == 1 && table.count == 3)
        table.removeValue(for: "a")
        #expect(table.set(5, for: "e") == nil, "a removed slot is reused before evicting")
        #expect(table.count == 3)
    }
}
