// Wiring of browser agents: the hub built from [webphone] and the users, its
// socket on the [http] listener (with the listener's TLS), and its reload.

import Config
import HTTP
import Logging
import ServiceLifecycle
import Store
import WebAgents

extension Gateway {
    /// The hub, when `[webphone]` is enabled.
    static func makeAgentHub(config: GatewayConfig, logger: Logger) -> AgentHub? {
        guard config.webphone.enabled else { return nil }
        var agentLogger = logger
        agentLogger[metadataKey: "component"] = "agents"
        return AgentHub(accounts: AgentAccount.accounts(of: config), policy: AgentPolicy(config: config), logger: agentLogger)
    }

    /// The `[http]` listener's TLS and, with a hub, its socket at `[webphone] path` + `/ws`
    /// and the web phone page at `[webphone] path`.
    func webListenerOptions() throws -> WebhookListenerOptions {
        var options = WebhookListenerOptions()
        if let tls = config.http.tls {
            options.tls = try WebhookListenerOptions.serverTLS(certificateFile: tls.certificate, privateKeyFile: tls.privateKey)
        }
        if let agents {
            let path = config.webphone.socketPath, page = config.webphone.path
            options.webSocket = { router in agents.register(on: router, path: path, peer: \.source) }
            options.extra = { router in PhoneRoutes.register(on: router, path: page) }
        }
        return options
    }

    /// The adapter that makes browser sessions ring, answer and dial like phones.
    func makeAgentSignaling(media: BridgeMediaControl) -> AgentSignaling? {
        guard let agents else { return nil }
        var callLogger = logger
        callLogger[metadataKey: "component"] = "agents"
        return AgentSignaling(hub: agents, media: media, logger: callLogger)
    }

    /// The page's `history`: the user's recent calls from the CDR store.
    func serveAgentHistory(store: GatewayStore) async {
        await agents?.serveHistory { user, limit in
            var query = CallQuery(limit: limit)
            query.user = user
            guard let records = try? await store.calls(matching: query) else { return nil }
            return records.map(AgentHistoryEntry.init(record:))
        }
    }

    /// Reloads give the hub the new users and `[webphone]` keys.
    func attachWebPhoneReload() async {
        guard let agents else { return }
        await reloader.attach { plan in
            await agents.apply(accounts: AgentAccount.accounts(of: plan.effective), policy: AgentPolicy(config: plan.effective))
        }
    }
}

/// Hands the browsers' call requests to the agent adapter while the gateway runs.
struct AgentCallsService: Service {
    let calls: AgentSignaling

    func run() async throws {
        await cancelWhenGracefulShutdown { await calls.run() }
    }
}

/// Says `bye {reason:"shutdown"}` to every browser session when the gateway
/// stops. Listed after the `[http]` listener, so the service group stops it
/// first and the listener's graceful shutdown finds no socket open.
struct AgentShutdownService: Service {
    let agents: AgentHub

    func run() async throws {
        try? await gracefulShutdown()
        await agents.shutdown()
    }
}

extension AgentHistoryEntry {
    /// A CDR as the page's recent-calls list shows it: the WhatsApp user as the peer,
    /// `answered`, `missed` (an inbound call nobody took) or `failed`.
    init(record: CallDetailRecord) {
        let inbound = record.direction == "inbound"
        let outcome = record.answerAt != nil ? "answered" : (inbound ? "missed" : "failed")
        self.init(startedAt: record.setupAt.formatted(.iso8601), direction: inbound ? "inbound" : "outbound",
                  peer: inbound ? record.caller : record.callee, peerName: record.waProfileName,
                  durationSeconds: record.duration.flatMap { Int(exactly: $0.rounded()) } ?? 0, outcome: outcome)
    }
}
