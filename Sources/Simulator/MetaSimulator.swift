public import AsyncHTTPClient
public import Foundation
public import HTTP
import Hummingbird
public import Logging
public import ServiceLifecycle
public import WhatsAppCloud

/// A stand-in for Meta's Cloud API: the Graph endpoints with Meta's validation and
/// error codes, the permission rules, signed webhooks to the gateway, and a
/// control API that plays the WhatsApp users (docs/whatsapp-setup.md).
///
/// Run it as a `Service` (it binds `settings.host:settings.port`, port 0 allowed;
/// ``port`` reports the bound port), standalone via `wagate simulate` or in-process
/// for sandbox mode. The methods below are the control API without HTTP.
public final class MetaSimulator: Service, Sendable {
    /// The settings in use.
    public let settings: MetaSimulatorSettings
    /// The bound port, once listening.
    public let port = ListeningPort()
    /// The state behind both APIs.
    let core: MetaSimulatorCore
    /// Sends the webhooks.
    let dispatcher: WebhookDispatcher
    /// The Hummingbird application (Graph + control routes).
    let application: Application<RouterResponder<BasicRequestContext>>
    /// Where the simulator logs.
    let logger: Logger
    /// The browser side of Embedded Signup (fake SDK and dialog).
    public let embeddedSignup: SimulatedEmbeddedSignup
    /// The SIP-mode Meta's bound TLS port, once listening (only with `settings.metaSIP.enabled`).
    public let sipPort = ListeningPort()
    /// The SIP-mode Meta, when enabled.
    let metaSIP: SimulatedMetaSIP?

    /// Builds the simulator; nothing listens until ``run()``.
    ///
    /// - Parameters:
    ///   - media: the simulated users' media (default: SDP only, no media).
    ///   - httpClient: used for webhook deliveries.
    ///   - now: the clock for permission windows and timestamps.
    public init(settings: MetaSimulatorSettings, media: any SimulatedUserMedia = MetaShapedSDPMedia(),
                httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "wagate.simulator")) {
        self.settings = settings
        self.logger = logger
        let dispatcher = WebhookDispatcher(url: settings.webhookURL, appSecret: settings.appSecret,
                                           policy: settings.delivery, httpClient: httpClient, logger: logger)
        let core = MetaSimulatorCore(settings: settings, media: media, dispatcher: dispatcher, now: now, logger: logger)
        self.dispatcher = dispatcher
        self.core = core
        let embeddedSignup = SimulatedEmbeddedSignup(appID: settings.appID)
        self.embeddedSignup = embeddedSignup
        let router = Router()
        Self.addGraphRoutes(to: router, core: core)
        Self.addControlRoutes(to: router, core: core, dispatcher: dispatcher)
        Self.addSignupRoutes(to: router, signup: embeddedSignup)
        let metaSIP = settings.metaSIP.enabled
            ? SimulatedMetaSIP(settings: settings.metaSIP, core: core, port: sipPort, logger: logger) : nil
        self.metaSIP = metaSIP
        Self.addSIPControlRoutes(to: router, core: core, sip: metaSIP)
        application = port.application(router: router, listen: HTTPListenSettings(host: settings.host, port: settings.port),
                                       serverName: "meta-simulator", logger: logger)
    }

    /// Serves until graceful shutdown, delivering webhooks meanwhile. Webhooks not yet
    /// delivered at shutdown are dropped (use ``waitForWebhooks()`` first to keep them).
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.dispatcher.run() }
            if let metaSIP {
                group.addTask { await self.runMetaSIP(metaSIP) }
            }
            do {
                try await application.run()
            } catch {
                await shutdown()
                throw error
            }
            await shutdown()
            // Deliveries still queued or in flight are dropped, not waited for.
            group.cancelAll()
        }
    }

    private func runMetaSIP(_ metaSIP: SimulatedMetaSIP) async {
        do {
            try await metaSIP.run()
        } catch {
            logger.error("simulated Meta SIP cannot listen", metadata: [
                "listen": "\(settings.metaSIP.host):\(settings.metaSIP.port)", "error": "\(error)",
            ])
            await sipPort.fail()
        }
    }

    private func shutdown() async {
        dispatcher.finish()
        await core.stopTimers()
        await port.fail()
    }

    // MARK: In-process control

    /// User `user` (a number, or the BSUID of a user Meta names without one) calls
    /// the business number `businessNumber` (display number, `+E164` or
    /// phone_number_id; nil: the first), with a username when given; returns the
    /// new call (its `id` is the wacid).
    public func userCalls(_ user: String, name: String? = nil, username: String? = nil,
                          ctaPayload: String? = nil, businessNumber: String? = nil) async throws -> SimulatedCall {
        let identity: JSONValue = username.map { ["username": .string($0)] } ?? .object([:])
        return try await core.userCalls(user, name: name, ctaPayload: ctaPayload, identity: identity,
                                        businessNumber: businessNumber)
    }

    /// The SIP-mode Meta's certificate chain (PEM) once it listens, for a peer to trust.
    public func sipCertificatePEM() async -> String? { await metaSIP?.identity?.certificatePEM }

    /// The user answers a ringing business-initiated call.
    public func userAnswers(_ callID: String) async throws -> SimulatedCall { try await core.userAnswers(callID) }

    /// The user declines a ringing business-initiated call.
    public func userRejects(_ callID: String) async throws -> SimulatedCall { try await core.userRejects(callID) }

    /// The user hangs up.
    public func userHangsUp(_ callID: String) async throws -> SimulatedCall { try await core.userHangsUp(callID) }

    /// The user grants (or refuses) permission; sends the reply webhook when `notify`.
    @discardableResult
    public func grantPermission(to user: String, permanent: Bool = false, accepted: Bool = true,
                                notify: Bool = true) async -> CallPermissions {
        await core.grantPermission(user: user, accepted: accepted, permanent: permanent, automatic: false, notify: notify)
    }

    /// Revokes the user's permission without a webhook.
    @discardableResult
    public func revokePermission(of user: String) async -> CallPermissions { await core.revokePermission(user: user) }

    /// Makes the next `count` Graph requests fail; returns the faults pending.
    @discardableResult
    public func failNextGraphRequests(_ count: Int, with fault: GraphFault) async -> Int {
        await core.failNext(count, with: fault)
    }

    /// A call by wacid.
    public func call(_ callID: String) async throws -> SimulatedCall { try await core.call(callID) }

    /// Every call, newest first.
    public func calls() async -> [SimulatedCall] { await core.allCalls() }

    /// Holds webhook deliveries until ``releaseWebhooks(reversed:)``.
    public func holdWebhooks() { dispatcher.hold() }

    /// Sends held webhooks, optionally in reverse order; returns how many.
    @discardableResult
    public func releaseWebhooks(reversed: Bool = false) async -> Int { await dispatcher.release(reversed: reversed) }

    /// Replaces the webhook delivery policy.
    public func setWebhookPolicy(_ policy: WebhookDeliveryPolicy) async { await dispatcher.setPolicy(policy) }

    /// Waits until every queued webhook has been attempted.
    public func waitForWebhooks() async { await dispatcher.waitUntilIdle() }
}
