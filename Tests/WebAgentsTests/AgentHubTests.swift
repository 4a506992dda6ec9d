import Config
import Testing
@testable import WebAgents

@Suite struct AgentHubTests {
    static func hub() -> AgentHub {
        AgentHub(accounts: AgentLoginTests.accounts, policy: AgentLoginTests.policy(), clock: { 1000 })
    }

    private func login(_ hub: AgentHub, secure: Bool = true) async -> (Result<String, AgentError>, AgentOutboundQueue) {
        let queue = AgentOutboundQueue()
        let connection = await hub.connect(queue)
        let result = await hub.logIn(AgentLoginRequest(credential: .password(user: "alice", password: "alice-secret")),
                                     re: "1", connection: connection, peer: .init(address: "127.0.0.1", secure: secure))
        return (result, queue)
    }

    @Test func loginMakesTheBrowserAContact() async throws {
        let hub = Self.hub()
        let (result, _) = await login(hub)
        let session = try result.get()
        #expect(await hub.availableContacts(ofUser: "alice") == ["wagate-agent:" + session])
        #expect(await hub.session(for: "wagate-agent:" + session)?.user == "alice")
        #expect(await hub.availableContacts(ofUser: "bob").isEmpty)
    }

    @Test func awaySessionIsNoContact() async throws {
        let hub = Self.hub()
        let session = try await login(hub).0.get()
        await hub.handle(AgentRequest(id: "2", message: .presence(.away)), session: session)
        #expect(await hub.availableContacts(ofUser: "alice").isEmpty)
    }

    @Test func awaySessionStillHearsNoticesForItsUser() async throws {
        let hub = Self.hub()
        let available = try await login(hub).0.get()
        let away = try await login(hub).0.get()
        await hub.handle(AgentRequest(id: "2", message: .presence(.away)), session: away)
        #expect(await hub.sessionIDs(ofUser: "alice") == [available, away])
        #expect(await hub.availableContacts(ofUser: "alice") == ["wagate-agent:" + available])
        #expect(await hub.sessionIDs(ofUser: "bob").isEmpty)
    }

    @Test func credentialsNeedASecureConnection() async {
        let hub = Self.hub()
        guard case .failure(let error) = await login(hub, secure: false).0 else {
            Issue.record("accepted")
            return
        }
        #expect(error.code == .tlsRequired)
    }

    @Test func callRequestsUnavailableWithoutAHandler() async throws {
        let hub = Self.hub()
        let (result, queue) = await login(hub)
        await hub.handle(AgentRequest(id: "9", message: .call(.hangup(call: "a-1"))), session: try result.get())
        queue.finish()
        var last: AgentOutbound?
        for await item in queue.stream { last = item }
        #expect(last == .message(.error(AgentError(re: "9", code: .unavailable, message: "calls are not available"))))
    }

    @Test func attachedHandlerGetsCallRequests() async throws {
        let hub = Self.hub()
        let events = await hub.attachCalls { _ in [] }
        let session = try await login(hub).0.get()
        await hub.handle(AgentRequest(id: "9", message: .call(.hangup(call: "a-1"))), session: session)
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .request(session: session, user: "alice", re: "9", .hangup(call: "a-1")))
    }

    @Test func reloadWithNewSecretEndsTheSession() async throws {
        let hub = Self.hub()
        let (result, queue) = await login(hub)
        let session = try result.get()
        var accounts = AgentLoginTests.accounts
        accounts[0].secret = Secret("changed")
        await hub.apply(accounts: accounts, policy: AgentLoginTests.policy())
        #expect(await hub.session(for: "wagate-agent:" + session) == nil)
        queue.finish()
        var items: [AgentOutbound] = []
        for await item in queue.stream { items.append(item) }
        #expect(items.suffix(2) == [.message(.bye(.accountDisabled)), .close(.normal)])
    }

    @Test func fourthLoginReplacesTheOldest() async throws {
        let hub = Self.hub()
        let first = try await login(hub).0.get()
        for _ in 0..<3 { _ = await login(hub) }
        #expect(await hub.session(for: "wagate-agent:" + first) == nil)
        #expect(await hub.availableContacts(ofUser: "alice").count == 3)
    }
}
