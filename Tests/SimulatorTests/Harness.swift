import AsyncHTTPClient
import Foundation
import HTTP
import Logging
import ServiceLifecycle
import Simulator
import Store
import TestSupport
import Testing
import WhatsAppCloud

/// A logger that drops everything, unless `WAGATE_TEST_LOG` is set (then debug to stderr).
let quietLogger: Logger = {
    guard ProcessInfo.processInfo.environment["WAGATE_TEST_LOG"] != nil else {
        return Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    }
    var logger = Logger(label: "test", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .debug
    return logger
}()

/// A Meta simulator and a webhook receiver, each on 127.0.0.1 port 0, plus a Graph
/// client pointed at the simulator.
struct Harness {
    static let secret = "harness-secret"
    let simulator: MetaSimulator
    let client: GraphClient
    let store: GatewayStore
    let collector: EventCollector
    var cursor = 0
    let control: SimulatorControlClient

    /// Starts both servers, runs `body`, and shuts everything down.
    static func run(
        configure: (inout MetaSimulatorSettings) -> Void = { _ in },
        client clientSettings: (inout GraphClientSettings) -> Void = { _ in },
        media: any SimulatedUserMedia = MetaShapedSDPMedia(),
        _ body: (inout Harness) async throws -> Void
    ) async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quietLogger)
        // A client per test, shut down before the servers, so no pooled keep-alive
        // connection holds up a server's graceful shutdown.
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.idleTimeout = .milliseconds(500)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let broadcaster = WebhookEventBroadcaster()
        let processor = WebhookProcessor(settings: .init(verifyToken: "tok", appSecret: secret), store: store,
                                         sink: broadcaster, logger: quietLogger)
        let receiver = try WebhookServer(listen: .init(host: "127.0.0.1", port: 0), processor: processor, logger: quietLogger)
        let receiverGroup = ServiceGroup(configuration: .init(services: [receiver], logger: quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await receiverGroup.run() }
            let receiverPort = try await receiver.port.wait()
            var settings = MetaSimulatorSettings(
                host: "127.0.0.1", port: 0, accessToken: "test-token", appSecret: secret,
                webhookURL: "http://127.0.0.1:\(receiverPort)/webhooks/whatsapp", ringTimeout: .seconds(30),
                acceptTimeout: .seconds(30), hangDuration: .seconds(2))
            configure(&settings)
            let simulator = MetaSimulator(settings: settings, media: media, httpClient: http, logger: quietLogger)
            let simulatorGroup = ServiceGroup(configuration: .init(services: [simulator], logger: quietLogger))
            tasks.addTask { try await simulatorGroup.run() }
            let port = try await simulator.port.wait()
            var graph = GraphClientSettings(
                baseURL: "http://127.0.0.1:\(port)", apiVersion: "v23.0", phoneNumberID: settings.phoneNumberID,
                accessToken: "test-token", requestTimeout: .seconds(5), maxRetries: 0, initialBackoff: .milliseconds(20))
            clientSettings(&graph)
            let collector = EventCollector()
            let stream = broadcaster.subscribe()
            tasks.addTask { for await event in stream { await collector.append(event) } }
            var harness = Harness(
                simulator: simulator, client: GraphClient(settings: graph, httpClient: http, logger: quietLogger),
                store: store,
                collector: collector,
                control: SimulatorControlClient(baseURL: "http://127.0.0.1:\(port)", httpClient: http))
            do {
                try await body(&harness)
            } catch {
                try? await http.shutdown()
                await simulatorGroup.triggerGracefulShutdown()
                await receiverGroup.triggerGracefulShutdown()
                throw error
            }
            await simulator.waitForWebhooks()
            try await http.shutdown()
            await simulatorGroup.triggerGracefulShutdown()
            await receiverGroup.triggerGracefulShutdown()
            broadcaster.finish()
            try await tasks.waitForAll()
        }
        try await store.close()
    }

    /// The next `count` events, failing the test if they do not come within 5 s.
    mutating func next(_ count: Int) async throws -> [WebhookEvent] {
        let wanted = cursor + count
        await collector.changes.wait { await collector.events.count >= wanted }
        let all = await collector.events
        let collected = Array(all.dropFirst(cursor).prefix(count))
        cursor += collected.count
        #expect(collected.count == count, "events so far: \(all.map(\.kind))")
        return collected
    }

    /// Events received beyond those already taken by ``next(_:)``.
    func unread() async -> [WebhookEvent] { Array(await collector.events.dropFirst(cursor)) }

    /// A Meta-shaped offer or answer from the default media.
    static func sdp(setup: String = "actpass") -> String { MetaShapedSDPMedia().sdp(setup: setup) }
}

/// Keeps every event the receiver hands on, in order, and wakes who waits for more.
actor EventCollector {
    private(set) var events: [WebhookEvent] = []
    /// Notified after each event.
    nonisolated let changes = ChangeSignal()

    func append(_ event: WebhookEvent) {
        events.append(event)
        changes.notify()
    }
}
