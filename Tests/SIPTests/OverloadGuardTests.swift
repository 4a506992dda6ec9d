import Config
import Testing
@testable import SIP

@Suite struct OverloadGuardTests {
    private func config(source: Int = 10, register: Int = 10, trunk: Int = 0, gateway: Int = 100) -> OverloadConfig {
        var config = OverloadConfig()
        config.sourceInviteRate = source
        config.sourceRegisterRate = register
        config.trunkInviteRate = trunk
        config.callAttemptRate = gateway
        return config
    }

    @Test func aSourceAboveItsRateGets503WithRetryAfterAndIsLoggedOncePerPeriod() {
        var guardian = OverloadGuard(config: config(source: 5))
        for _ in 0..<10 { #expect(guardian.admit(method: "INVITE", source: "203.0.113.5", trunk: nil, now: 100) == nil) }
        let first = guardian.admit(method: "INVITE", source: "203.0.113.5", trunk: nil, now: 100)
        #expect(first == OverloadGuard.Refusal(retryAfter: 1, limit: "source", log: true))
        #expect(guardian.admit(method: "INVITE", source: "203.0.113.5", trunk: nil, now: 100.1)?.log == false)
        #expect(guardian.admit(method: "INVITE", source: "198.51.100.1", trunk: nil, now: 100.1) == nil, "another source still calls")
        #expect(guardian.admit(method: "INVITE", source: "203.0.113.5", trunk: nil, now: 101) == nil, "tokens come back")
    }

    @Test func registerAndInviteHaveSeparateBuckets() {
        var guardian = OverloadGuard(config: config(source: 1, register: 1))
        for _ in 0..<2 { #expect(guardian.admit(method: "REGISTER", source: "192.0.2.1", trunk: nil, now: 0) == nil) }
        #expect(guardian.admit(method: "REGISTER", source: "192.0.2.1", trunk: nil, now: 0) != nil)
        #expect(guardian.admit(method: "INVITE", source: "192.0.2.1", trunk: nil, now: 0) == nil)
        #expect(guardian.admit(method: "OPTIONS", source: "192.0.2.1", trunk: nil, now: 0) == nil)
    }

    @Test func aTrunkUsesItsOwnLimitAndTheGatewayCeilingStillApplies() {
        var guardian = OverloadGuard(config: config(source: 1, trunk: 0, gateway: 50))
        for _ in 0..<100 { #expect(guardian.admit(method: "INVITE", source: "192.0.2.50", trunk: "pbx", now: 0) == nil) }
        #expect(guardian.admit(method: "INVITE", source: "192.0.2.50", trunk: "pbx", now: 0)?.limit == "gateway")
        #expect(guardian.admit(method: "INVITE", source: "192.0.2.1", trunk: nil, now: 0)?.limit == "gateway")
    }

    @Test func aRecentlyAuthenticatedAddressSkipsTheGatewayCeilingButNotItsOwnRate() {
        var guardian = OverloadGuard(config: config(source: 5, gateway: 1))
        for i in 0..<10 { _ = guardian.admit(method: "INVITE", source: "203.0.113.\(i)", trunk: nil, now: 0) }
        #expect(guardian.admit(method: "INVITE", source: "203.0.113.99", trunk: nil, now: 0)?.limit == "gateway")
        for _ in 0..<10 { #expect(guardian.admit(method: "INVITE", source: "192.0.2.7", trunk: nil, trusted: true, now: 0) == nil) }
        #expect(guardian.admit(method: "INVITE", source: "192.0.2.7", trunk: nil, trusted: true, now: 0)?.limit == "source")
    }

    @Test func zeroTurnsEveryLimitOff() {
        var guardian = OverloadGuard(config: config(source: 0, register: 0, trunk: 0, gateway: 0))
        for _ in 0..<10_000 { #expect(guardian.admit(method: "INVITE", source: "192.0.2.1", trunk: nil, now: 0) == nil) }
    }

    @Test func thePerSourceTableIsBounded() {
        var guardian = OverloadGuard(config: config(gateway: 0), tableSize: 500)
        for i in 0..<20_000 { _ = guardian.admit(method: "INVITE", source: "10.0.\(i >> 8).\(i & 255)", trunk: nil, now: 0) }
        #expect(guardian.trackedSources == 500)
    }
}
