import CallControl
public import Config
import Foundation
public import Logging
import Media
import NIOPosix
import Prometheus
import SIP
import ServiceLifecycle
import Store
public import WebAgents

/// The composition root: builds the concrete adapters from a validated
/// configuration and runs them as services until SIGTERM or SIGINT.
///
/// Shutdown order (a service group stops services in reverse order): call
/// control drains first while SIP, HTTP and the Graph client still work, then
/// the HTTP client, the SIP stack, the simulator and the webhook server stop.
public struct Gateway: Sendable {
    /// The configuration the gateway runs with.
    public let config: GatewayConfig
    let logger: Logger
    /// Re-reads `config.sourceFile` on SIGHUP or ``reloadConfiguration()``.
    let reloader: ConfigReloader
    /// Browser agents' sessions, when `[webphone]` is enabled (the call layer takes
    /// call requests from it and reaches sessions through it).
    public let agents: AgentHub?

    /// Creates a gateway for an already validated configuration.
    public init(config: GatewayConfig, logger: Logger) {
        self.config = config
        self.logger = logger
        reloader = ConfigReloader(config: config, logger: logger)
        agents = Self.makeAgentHub(config: config, logger: logger)
    }

    /// Re-reads the configuration file and applies users, trunks, ring groups,
    /// numbers, dial plan, inbound plan and per-call settings to new calls
    /// without dropping calls in progress. A broken file is refused with its
    /// `FILE:LINE` problems and the running configuration stays; changed keys
    /// that need a restart are named and left as they run. What SIGHUP does.
    public func reloadConfiguration() async -> ReloadReport {
        await reloader.reload()
    }

    /// How old a stored but unprocessed `connect` may be and still be replayed at
    /// start: about as long as a WhatsApp user's call rings.
    static let replayConnectAge: TimeInterval = 60

    /// Runs every service until a termination signal arrives.
    public func run() async throws {
        let timings = SetupTimings()
        let counters = NumberCounters(numberNames: config.numbers.map(\.name))
        let metrics = GatewayMetrics(registry: timings.registry, config: config, counters: counters)
        metrics.zeroSignalling()
        var stackSettings = SIPStackSettings(config: config)
        stackSettings.observe = { metrics.sip($0) }
        stackSettings.metaSourceAddresses = MetaSIPAddresses.resolve(config, logger: logger)
        let handleGauge = timings.registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "wagate", metricName: "sip_handles", unitName: "", helpText: "Live sofia nua handles (dialogs, pending requests)"))
        stackSettings.handleCount = { handleGauge.set(to: Double($0)) }
        let heapGauge = timings.registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "wagate", metricName: "heap_in_use", unitName: "bytes", helpText: "C heap in use (glibc mallinfo2)"))
        timings.beforeExposition { heapGauge.set(to: Double(SIPStack.heapInUse())) }
        let stack = try SIPStack(settings: stackSettings, logger: logger)
        let ports = RTPPortAllocator(range: config.general.rtpPortRange)
        let registrar = stack.registrar
        timings.beforeExposition {
            metrics.samplePorts(ports)
            metrics.sampleRegistrations(registrar)
            metrics.sampleMediaLoops()
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let store = try await GatewayStore.open(try config.storage.storeSettings(), logger: logger)
        let membership = try await joinCluster(store: store)
        // Claimed before the webhook receiver starts, so a retry from Meta cannot race the replay.
        let backlog = await ownBacklog(
            await store.claimUnprocessedEvents(connectsSince: Date().addingTimeInterval(-Self.replayConnectAge)),
            store: store, membership: membership)
        let whatsapp = try WhatsAppSide.make(
            config: config, store: store, ports: ports, group: group, timings: timings, metrics: metrics,
            counters: counters, listener: try webListenerOptions(),
            router: { http in membership.map { self.webhookRouter(membership: $0, store: store, http: http) } },
            logger: logger)
        let control = try await makeCallControl(stack: stack, ports: ports, group: group, store: store,
                                                whatsapp: whatsapp, timings: timings, metrics: metrics,
                                                counters: counters, membership: membership)
        let onboarding = await makeOnboarding(store: store, control: control.actor, whatsapp: whatsapp, metrics: metrics)
        let registrations = RegistrationPersistence(store: store, registrar: stack.registrar, logger: logger)
        let reloadedConfig = ConfigSnapshot(config)
        await attachReload(control: control.actor, sip: control.sip, registrations: registrations, whatsapp: whatsapp,
                           snapshot: reloadedConfig, metrics: metrics)
        await reloader.attach { [meta = control.meta] plan in await meta.apply(plan.effective) }
        await attachWebPhoneReload()
        await serveAgentHistory(store: store)
        let admin = makeAdmin(store: store, control: control.actor, media: control.media, registrar: stack.registrar,
                              reloader: reloader)
        let services: [any Service] = [LifecycleAnnouncer(config: config, logger: logger)]
            + whatsapp.services + onboarding + admin + (agents.map { [AgentShutdownService(agents: $0)] } ?? [])
            + (control.agents.map { [AgentCallsService(calls: $0)] } ?? [])
            + [
                SIPFrontEndService(config: config, stack: stack, registrations: registrations,
                                   calls: control.sip, meta: control.meta, logger: logger),
                ReloadSignalService(reloader: reloader),
                HTTPClientShutdown(client: whatsapp.httpClient),
                SIPReadinessService(control: control.actor, stack: stack),
            ] + clusterServices(membership: membership, control: control.actor, store: store,
                                            records: control.records) + [
                CallControlService(control: control.actor, events: whatsapp.events.subscribe(), backlog: backlog,
                                   store: store, drainTime: config.general.drainTime, logger: logger),
                config.storage.retentionService(store: store, logger: logger),
                WhatsAppHealthService(config: config, httpClient: whatsapp.httpClient, graphs: whatsapp.graphs,
                                      events: whatsapp.events.subscribe(),
                                      metrics: WhatsAppHealthMetrics(registry: timings.registry), logger: logger,
                                      current: reloadedConfig),
            ]
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await serviceGroup.run()
        } catch {
            try? await store.close()
            throw error
        }
        try? await store.close()
    }

    /// The start of every call id of this run: `wg` and the start time, and in a
    /// cluster the node's name too, so nodes started in the same second never
    /// give two calls the same id in the shared store (`wg1796640517.gw1-000001`).
    static func callIDPrefix(node: String?, start: Date) -> String {
        "wg\(UInt32(start.timeIntervalSince1970))" + (node.map { ".\($0)" } ?? "")
    }

    /// Call control and the adapters it acts through.
    private func makeCallControl(stack: SIPStack, ports: RTPPortAllocator, group: MultiThreadedEventLoopGroup,
                                 store: GatewayStore, whatsapp: WhatsAppSide, timings: SetupTimings,
                                 metrics: GatewayMetrics, counters: NumberCounters, membership: ClusterMembership?)
        async throws -> (actor: CallControl, sip: StackSIPSignaling, media: BridgeMediaControl,
                         agents: AgentSignaling?, meta: MetaSIPCalling, records: StoreCallRecords) {
        let sip = StackSIPSignaling(stack: stack, config: config, timings: timings, logger: logger)
        let media = BridgeMediaControl(config: config, ports: ports, group: group, logger: logger, metrics: metrics)
        let agentCalls = makeAgentSignaling(media: media)
        let business = BusinessSignaling(sip: sip, agents: agentCalls, logger: logger)
        let echo = EchoMediaService(config: config, ports: ports, group: group, logger: logger)
        var callLogger = logger
        callLogger[metadataKey: "component"] = "calls"
        let resilience = config.whatsapp.resilience
        let gauge = GraphCircuitGauge(registry: timings.registry)
        let circuit = GraphCircuit(failureThreshold: resilience.breakerFailures, openTime: resilience.breakerOpenTime,
                                   logger: callLogger, onChange: { gauge.set($0) })
        let records = StoreCallRecords(store: store, nodeID: config.cluster?.nodeID, logger: logger)
        let graph = GraphWhatsAppCalling(graphs: whatsapp.graphs, timings: timings, circuit: circuit,
                                         logger: callLogger, metrics: metrics)
        let meta = MetaSIPCalling(stack: stack, config: config, logger: callLogger)
        let whatsApp = WhatsAppCallingRouter(graph: graph, sip: meta)
        let control = CallControl(
            config: config,
            ports: .init(sip: business, resolver: business, whatsApp: whatsApp, media: media,
                         records: MeteredCallRecords(
                             next: CallSummaryLog(records: records, store: store, logger: callLogger), metrics: metrics),
                         echo: echo, headroom: LoopHeadroom(group: group),
                         slots: config.cluster.map { StoreCallSlots(store: store, nodeID: $0.nodeID, logger: callLogger) },
                         requestLimits: config.cluster.map { _ in StoreRequestLimits(store: store, logger: callLogger) },
                         claims: config.cluster.map { StoreClusterClaims(store: store, nodeID: $0.nodeID, logger: callLogger) }),
            idPrefix: Self.callIDPrefix(node: config.cluster?.nodeID, start: Date()), circuit: circuit, counters: counters,
            logger: callLogger)
        await business.attach(control)
        await meta.attach(control)
        if let agentCalls {
            await agentCalls.attachControl(control)
            await media.onBrowserLeft { [weak agentCalls] call, fork in await agentCalls?.browserLeft(call: call, fork: fork) }
            await control.attachAgents(agentCalls)
        }
        await media.attach(control, records: records)
        await echo.attach(control)
        return (control, sip, media, agentCalls, meta, records)
    }
}
