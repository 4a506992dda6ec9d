// Requests of a logged-in session: presence, logout, history, and call
// requests handed to the call layer (or refused while none is attached).

extension AgentHub {
    /// Handles `request` of session `id`.
    func handle(_ request: AgentRequest, session id: String) async {
        guard let session = sessions[id], let queue = session.queue else { return }
        switch request.message {
        case .presence(let presence):
            sessions[id]?.presence = presence
            queue.put(.message(.ok(re: request.id)))
            queue.put(.message(.presence(presence)))
        case .logout:
            tokens.revoke(session.token)
            queue.put(.message(.ok(re: request.id)))
            queue.put(.close(.normal))
            sessions[id]?.queue = nil
            end(id, bye: nil)
        case .history(let limit):
            guard let history, let calls = await history(session.user, limit) else {
                queue.put(.message(.error(AgentError(re: request.id, code: .unavailable, message: "call history is not available"))))
                return
            }
            queue.put(.message(.history(calls)))
        case .call(let call):
            guard let callEvents else {
                queue.put(.message(.error(AgentError(re: request.id, code: .unavailable, message: "calls are not available"))))
                return
            }
            callEvents.yield(.request(session: id, user: session.user, re: request.id, call))
        case .login, .ping, .candidate:
            break
        }
    }

    /// Takes a reloaded configuration: new accounts and `[webphone]` keys. Sessions of
    /// users removed, set to `webrtc = no` or given a new secret end with
    /// `bye {reason:"account_disabled"}`, and their tokens are revoked.
    public func apply(accounts: [AgentAccount], policy: AgentPolicy) {
        let old = login.accounts
        let new = Dictionary(accounts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let disabled = Set(old.keys.filter { name in
            guard let now = new[name] else { return true }
            return !now.webrtc || now.secret != old[name]?.secret
        })
        login.replace(accounts)
        self.policy = policy
        tokens.revoke(users: disabled)
        for session in sessions.values where disabled.contains(session.user) { end(session.id, bye: .accountDisabled) }
    }
}
