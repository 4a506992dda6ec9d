// Logging a socket in: password or token, the lockout, the session limit per
// user, and re-attaching a session within its reconnect grace.

import Foundation
import Logging

extension AgentHub {
    /// The facts of a socket a login needs.
    struct Peer: Sendable {
        /// The peer's IP address text.
        var address: String
        /// Whether a credential may travel over this connection.
        var secure: Bool
    }

    /// Logs connection `connection` in; returns the session id, or the error to send.
    func logIn(_ request: AgentLoginRequest, re: String?, connection: Int, peer: Peer) async -> Result<String, AgentError> {
        guard let queue = connections[connection] else {
            return .failure(AgentError(re: re, code: .badMessage, message: "socket closed"))
        }
        guard peer.secure else {
            note("login refused: credentials need TLS", ["peer": "\(peer.address)"])
            return .failure(AgentError(re: re, code: .tlsRequired, message: "log in over HTTPS (TLS) or from loopback"))
        }
        let now = clock()
        switch request.credential {
        case .token(let token):
            return await resume(token: token, re: re, presence: request.presence, queue: queue, connection: connection, peer: peer, now: now)
        case .password(let user, let password):
            let (result, lockouts) = login.check(user: user, password: password, source: peer.address, now: now)
            for lockout in lockouts {
                logger.warning("web login locked out", metadata: ["scope": "\(lockout.scope)", "key": "\(lockout.key)",
                                                                 "seconds": "\(Int(lockout.until - now))"])
            }
            switch result {
            case .failure(let refusal): return .failure(error(for: refusal.refusal, re: re, user: user, peer: peer))
            case .success(let account):
                let token = tokens.issue(user: account.name, issuedTo: peer.address,
                                         lifetime: Double(policy.webphone.tokenLifetime.components.seconds), now: now)
                let expires = now + Double(policy.webphone.tokenLifetime.components.seconds)
                let id = open(account, token: token, expires: expires, presence: request.presence, queue: queue,
                              connection: connection, now: now)
                return .success(await welcome(id, re: re))
            }
        }
    }

    private func resume(token: String, re: String?, presence: AgentPresence, queue: AgentOutboundQueue, connection: Int,
                        peer: Peer, now: Double) async -> Result<String, AgentError> {
        guard let entry = tokens.validate(token, now: now), let account = login.accounts[entry.user], account.webrtc else {
            note("web token login refused", ["peer": "\(peer.address)"])
            return .failure(AgentError(re: re, code: .badCredentials, message: "unknown or expired token"))
        }
        if let detached = sessions.values.first(where: { $0.token == token && $0.queue == nil }) {
            sessions[detached.id]?.queue = queue
            sessions[detached.id]?.connection = connection
            sessions[detached.id]?.detachedUntil = nil
            sessions[detached.id]?.presence = presence
            logger.info("agent session re-attached", metadata: ["session": "\(detached.id)", "user": "\(account.name)"])
            return .success(await welcome(detached.id, re: re))
        }
        let id = open(account, token: token, expires: entry.expiresAt, presence: presence, queue: queue, connection: connection, now: now)
        return .success(await welcome(id, re: re))
    }

    /// Opens a session, ending the user's oldest when the limit is reached.
    private func open(_ account: AgentAccount, token: String, expires: Double, presence: AgentPresence,
                      queue: AgentOutboundQueue, connection: Int, now: Double) -> String {
        let mine = sessions.values.filter { $0.user == account.name }.sorted { $0.order < $1.order }
        for old in mine.prefix(max(0, mine.count - policy.webphone.maxSessionsPerUser + 1)) { end(old.id, bye: .replaced) }
        let id = AgentIDs.session()
        nextOrder += 1
        sessions[id] = Session(id: id, user: account.name, presence: presence, queue: queue, connection: connection,
                               detachedUntil: nil, token: token, tokenExpires: expires, order: nextOrder)
        logger.info("agent logged in", metadata: ["session": "\(id)", "user": "\(account.name)", "presence": "\(presence.rawValue)"])
        let lifetime = expires - now
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(max(1, lifetime)))
            await self?.expireToken(id)
        }
        return id
    }

    /// Ends session `id` when its token has expired.
    func expireToken(_ id: String) {
        guard let session = sessions[id], session.tokenExpires <= clock() else { return }
        end(id, bye: .tokenExpired)
    }

    /// Queues `ok` and `welcome` for session `id`; returns `id`.
    private func welcome(_ id: String, re: String?) async -> String {
        guard let session = sessions[id], let account = login.accounts[session.user] else { return id }
        let calls = await callSummaries?(id) ?? []
        let welcome = AgentWelcome(
            user: account.name, name: account.displayName, token: session.token,
            expiresAt: Self.rfc3339(session.tokenExpires), session: id, presence: session.presence,
            maxCalls: account.maxCalls, numbers: account.numbers, calls: calls)
        session.queue?.put(.message(.ok(re: re)))
        session.queue?.put(.message(.welcome(welcome)))
        return id
    }

    private func error(for refusal: AgentLogin.Refusal, re: String?, user: String, peer: Peer) -> AgentError {
        switch refusal {
        case .badCredentials:
            note("web login failed", ["user": "\(user)", "peer": "\(peer.address)"])
            return AgentError(re: re, code: .badCredentials, message: "wrong user or password")
        case .locked(let wait):
            note("web login refused: locked out", ["user": "\(user)", "peer": "\(peer.address)"])
            return AgentError(re: re, code: .locked, message: "too many failed logins", retryAfter: wait)
        case .webrtcDisabled:
            note("web login refused: webrtc = no", ["user": "\(user)"])
            return AgentError(re: re, code: .webrtcDisabled, message: "this user may not log in from a browser")
        }
    }

    /// Logs `message` at most once a second per message text.
    func note(_ message: String, _ metadata: Logger.Metadata) {
        let (allowed, skipped) = throttle.allow(message, now: clock())
        guard allowed else { return }
        var metadata = metadata
        if skipped > 0 { metadata["suppressed"] = "\(skipped)" }
        logger.notice("\(message)", metadata: metadata)
    }

    /// `seconds` since 1970 as RFC 3339 UTC.
    static func rfc3339(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}
