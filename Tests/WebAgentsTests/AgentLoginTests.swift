import Config
import Testing
@testable import WebAgents

@Suite struct AgentLoginTests {
    static let accounts = [
        AgentAccount(name: "alice", secret: Secret("alice-secret"), webrtc: true),
        AgentAccount(name: "bob", secret: Secret("bob-secret"), webrtc: false),
    ]

    static func policy(maxFailures: Int = 5) -> AgentPolicy {
        var config = GatewayConfig()
        config.general.authMaxFailures = maxFailures
        config.general.authFailureWindow = .seconds(60)
        config.general.authLockoutTime = .seconds(300)
        return AgentPolicy(config: config)
    }

    @Test func rightPasswordWrongPasswordUnknownUser() throws {
        var login = AgentLogin(accounts: Self.accounts, policy: Self.policy())
        #expect(try login.check(user: "alice", password: "alice-secret", source: "10.0.0.1", now: 0).0.get().name == "alice")
        #expect(login.check(user: "alice", password: "nope", source: "10.0.0.1", now: 0).0 == .failure(.init(.badCredentials)))
        #expect(login.check(user: "mallory", password: "x", source: "10.0.0.1", now: 0).0 == .failure(.init(.badCredentials)))
        #expect(login.check(user: "bob", password: "bob-secret", source: "10.0.0.1", now: 0).0 == .failure(.init(.webrtcDisabled)))
        #expect(login.check(user: "bob", password: "wrong", source: "10.0.0.1", now: 0).0 == .failure(.init(.badCredentials)))
    }

    @Test func fiveFailuresLockWithRetryAfter() throws {
        var login = AgentLogin(accounts: Self.accounts, policy: Self.policy())
        var started: [String] = []
        for second in 0..<5 {
            started += login.check(user: "alice", password: "bad", source: "10.0.0.9", now: Double(second)).1.map(\.key)
        }
        #expect(started.contains("10.0.0.9"))
        let (result, _) = login.check(user: "alice", password: "alice-secret", source: "10.0.0.9", now: 10)
        #expect(result == .failure(.init(.locked(retryAfter: 294))))
        // The lock ends with the lockout time.
        #expect(try login.check(user: "alice", password: "alice-secret", source: "10.0.0.7", now: 305).0.get().name == "alice")
    }

    @Test func knownGoodAddressKeepsWorkingWhileTheUserIsLocked() throws {
        var login = AgentLogin(accounts: Self.accounts, policy: Self.policy())
        _ = try login.check(user: "alice", password: "alice-secret", source: "10.0.0.1", now: 0).0.get()
        for index in 0..<5 { _ = login.check(user: "alice", password: "bad", source: "10.9.9.\(index)", now: 1) }
        #expect(login.check(user: "alice", password: "alice-secret", source: "10.0.0.2", now: 2).0
            == .failure(.init(.locked(retryAfter: 299))))
        #expect(try login.check(user: "alice", password: "alice-secret", source: "10.0.0.1", now: 2).0.get().name == "alice")
    }

    @Test func zeroMaxFailuresNeverLocks() {
        var login = AgentLogin(accounts: Self.accounts, policy: Self.policy(maxFailures: 0))
        for _ in 0..<20 { _ = login.check(user: "alice", password: "bad", source: "10.0.0.9", now: 0) }
        #expect((try? login.check(user: "alice", password: "alice-secret", source: "10.0.0.9", now: 0).0.get()) != nil)
    }

    @Test func digestCompare() {
        #expect(AgentLogin.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!AgentLogin.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!AgentLogin.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
