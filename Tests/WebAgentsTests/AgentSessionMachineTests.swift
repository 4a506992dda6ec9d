import Testing
@testable import WebAgents

@Suite struct AgentSessionMachineTests {
    private func request(_ message: AgentClientMessage, id: String? = "1") -> Result<AgentRequest, AgentError> {
        .success(AgentRequest(id: id, message: message))
    }

    @Test func onlyLoginAndPingBeforeLogin() {
        var machine = AgentSessionMachine(now: 0)
        #expect(machine.receive(request(.ping), now: 0) == .send(.pong))
        guard case .send(.error(let error))? = machine.receive(request(.presence(.away)), now: 0) else {
            Issue.record("not refused")
            return
        }
        #expect(error.code == .notLoggedIn)
        let login = AgentLoginRequest(credential: .token("t"))
        #expect(machine.receive(request(.login(login)), now: 0) == .login(id: "1", login))
        machine.loggedIn(session: "s-1")
        #expect(machine.receive(request(.presence(.away)), now: 0) == .handle(AgentRequest(id: "1", message: .presence(.away))))
    }

    @Test func fiveBadMessagesClose1008() {
        var machine = AgentSessionMachine(now: 0)
        let bad: Result<AgentRequest, AgentError> = .failure(AgentError(re: nil, code: .badMessage, message: "x"))
        for _ in 0..<4 {
            guard case .send(.error)? = machine.receive(bad, now: 0) else {
                Issue.record("not an error")
                return
            }
        }
        guard case .close(let code, _)? = machine.receive(bad, now: 0) else {
            Issue.record("not closed")
            return
        }
        #expect(code == .policy)
        #expect(machine.receive(request(.ping), now: 0) == nil)
    }

    @Test func rateLimitedAboveTwentyASecond() {
        var machine = AgentSessionMachine(now: 0)
        var limited = 0
        for _ in 0..<60 {
            if case .send(.error(let error))? = machine.receive(request(.ping), now: 0), error.code == .rateLimited { limited += 1 }
        }
        #expect(limited == 20)
        #expect(machine.receive(request(.ping), now: 1) == .send(.pong))
    }
}
