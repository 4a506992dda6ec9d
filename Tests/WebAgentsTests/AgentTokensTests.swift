import Testing
@testable import WebAgents

@Suite struct AgentTokensTests {
    @Test func issuedTokenValidUntilExpiry() {
        var tokens = AgentTokens(capacity: 16)
        let token = tokens.issue(user: "alice", issuedTo: "127.0.0.1", lifetime: 60, now: 0)
        #expect(token.count == 43)
        #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
        #expect(tokens.validate(token, now: 59)?.user == "alice")
        #expect(tokens.validate(token, now: 60) == nil)
        #expect(tokens.count == 0)
    }

    @Test func onlyTheDigestIsKept() {
        var tokens = AgentTokens(capacity: 16)
        let token = tokens.issue(user: "alice", issuedTo: "127.0.0.1", lifetime: 60, now: 0)
        #expect(AgentTokens.digest(token) != token)
        #expect(tokens.validate(token + "x", now: 1) == nil)
    }

    @Test func boundedTableDropsTheSoonestExpiring() {
        var tokens = AgentTokens(capacity: 16)
        let first = tokens.issue(user: "u0", issuedTo: "a", lifetime: 10, now: 0)
        var later: [String] = []
        for index in 1..<40 { later.append(tokens.issue(user: "u\(index)", issuedTo: "a", lifetime: 1000 + Double(index), now: 0)) }
        #expect(tokens.count <= 16)
        #expect(tokens.validate(first, now: 1) == nil)
        #expect(tokens.validate(later.last!, now: 1) != nil)
    }

    @Test func revokedByUser() {
        var tokens = AgentTokens(capacity: 16)
        let alice = tokens.issue(user: "alice", issuedTo: "a", lifetime: 100, now: 0)
        let bob = tokens.issue(user: "bob", issuedTo: "a", lifetime: 100, now: 0)
        tokens.revoke(users: ["alice"])
        #expect(tokens.validate(alice, now: 1) == nil)
        #expect(tokens.validate(bob, now: 1) != nil)
    }
}
