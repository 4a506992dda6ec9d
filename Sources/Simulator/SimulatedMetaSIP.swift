import Foundation
import HTTP
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Meta's SIP interface as the simulator plays it (docs/whatsapp-sip-mode.md):
/// a TLS listener that takes business-initiated INVITEs (407 digest, From-domain
/// and permission checks, then the simulated user's answer), and TLS
/// connections to the business's SIP server for user-initiated INVITEs in
/// Meta's shape. Call state stays in ``MetaSimulatorCore``; this actor keeps
/// only the SIP dialogs and turns the core's call events into SIP.
actor SimulatedMetaSIP {
    /// The most dialogs and outstanding nonces kept (entries from outside, bounded).
    static let dialogLimit = 4096
    /// The most outstanding nonces.
    static let nonceLimit = 1024
    /// The most messages waiting to be handled.
    static let inboxLimit = 8192
    /// How long a nonce may be answered.
    static let nonceLifetime: TimeInterval = 300

    let settings: SimulatedMetaSIPSettings
    let core: MetaSimulatorCore
    let logger: Logger
    let group: any EventLoopGroup
    /// The bound port.
    let port: ListeningPort
    let inbox: AsyncStream<SimulatedMetaSIPInbound>
    let inboxSink: AsyncStream<SimulatedMetaSIPInbound>.Continuation
    let digest = SimSIPDigest()
    /// Dialogs by SIP Call-ID.
    var dialogs: [String: SimulatedMetaSIPDialog] = [:]
    /// The SIP Call-ID of each call by wacid.
    var sipCallIDs: [String: String] = [:]
    /// Nonces issued, with when and the algorithm asked for.
    var nonces: [String: (issued: Date, algorithm: SimSIPDigestAlgorithm)] = [:]
    /// Call-IDs of INVITEs being admitted (waiting on the core).
    var admitting: Set<String> = []
    /// Call events that arrived while their INVITE was being admitted, by wacid.
    var earlyEvents: [String: [SimulatedSIPCallEvent]] = [:]
    /// Open connections to business SIP servers by `host:port`.
    var outbound: [String: SimulatedMetaSIPConnection] = [:]
    var nextConnectionID = 1
    var identity: SimulatedMetaSIPIdentity?
    /// The listener's address as written into Via, Contact and Record-Route.
    var localHostPort = ""
    /// ClientHellos refused for offering ALPN `sip`.
    var alpnRefusals = 0
    /// Limits the log lines about what peers sent wrong.
    let logBudget = SimulatedMetaSIPLogBudget()

    /// Creates the SIP side; nothing listens until ``run()``.
    init(settings: SimulatedMetaSIPSettings, core: MetaSimulatorCore, port: ListeningPort,
         group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.settings = settings
        self.core = core
        self.port = port
        self.group = group
        self.logger = logger
        // Bounded: a peer flooding faster than the actor reads loses messages, as over UDP.
        (inbox, inboxSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.inboxLimit))
    }

    /// Listens, then serves messages and call events until cancelled.
    func run() async throws {
        let identity = try SimulatedMetaSIPIdentity(settings: settings)
        self.identity = identity
        let channel = try await bind(identity)
        let bound = channel.localAddress?.port ?? settings.port
        localHostPort = "\(settings.host):\(bound)"
        await port.resolve(bound)
        logger.info("simulated Meta SIP listening (TLS)", metadata: ["listen": "\(localHostPort)"])
        let events = core.sipEvents
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await event in events { await self.handle(event) } }
                for await inbound in inbox { handle(inbound) }
                group.cancelAll()
            }
        } onCancel: {
            inboxSink.finish()
            channel.close(promise: nil)
        }
        for connection in outbound.values { connection.close() }
    }

    private func bind(_ identity: SimulatedMetaSIPIdentity) async throws -> any Channel {
        let (sink, logger, budget) = (inboxSink, self.logger, logBudget)
        let counter = ConnectionCounter()
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = SimulatedMetaSIPConnection(id: counter.next(), channel: channel)
                    try channel.pipeline.syncOperations.addHandlers([
                        SimulatedMetaSIPALPNGuard { Task { await self.countALPNRefusal() } },
                        NIOSSLServerHandler(context: identity.server),
                        SimulatedMetaSIPFramer(connection: connection, sink: sink, logger: logger, budget: budget),
                    ])
                }
            }
            .bind(host: settings.host, port: settings.port).get()
    }

    private func countALPNRefusal() {
        alpnRefusals += 1
        logRefusal("simulated Meta SIP refused a ClientHello offering ALPN sip")
    }

    /// Logs what a peer sent wrong, at most ``SimulatedMetaSIPLogBudget/burst`` lines
    /// a minute per `kind` (default: the message), with the count left out before.
    func logRefusal(_ message: Logger.Message, kind: String? = nil, metadata: Logger.Metadata = [:]) {
        guard let suppressed = logBudget.admit(kind ?? message.description) else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.info(message, metadata: metadata)
    }

    /// Opens (or reuses) a TLS connection to `host:port`, checking the server name when the knob says so.
    func connection(toHost host: String, port: Int, serverName: String) async throws -> SimulatedMetaSIPConnection {
        if let open = outbound["\(host):\(port)"], open.channel.isActive { return open }
        guard let identity else { throw SimulatorError.badRequest("the SIP listener is not running") }
        let (sink, logger, budget) = (inboxSink, self.logger, logBudget)
        let id = nextConnectionID
        nextConnectionID += 1
        let sni = serverName.first?.isLetter == true ? serverName : nil
        let slot = ConnectionSlot()
        _ = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = SimulatedMetaSIPConnection(id: id, channel: channel)
                    slot.value.withLock { $0 = connection }
                    try channel.pipeline.syncOperations.addHandlers([
                        try NIOSSLClientHandler(context: identity.client, serverHostname: sni),
                        SimulatedMetaSIPFramer(connection: connection, sink: sink, logger: logger, budget: budget),
                    ])
                }
            }
            .connect(host: host, port: port).get()
        guard let connection = slot.value.withLock({ $0 }) else { throw SimulatorError.badRequest("no connection") }
        outbound["\(host):\(port)"] = connection
        return connection
    }

    private func handle(_ inbound: SimulatedMetaSIPInbound) {
        switch inbound {
        case .message(let message, let connection):
            if message.method != nil { handleRequest(message, on: connection) } else { handleResponse(message) }
        case .closed(let connection):
            outbound = outbound.filter { $0.value !== connection }
        }
    }

    /// Sends `message` on `connection`, logging its first line.
    func send(_ message: SimSIPMessage, on connection: SimulatedMetaSIPConnection) {
        logger.debug("simulated Meta SIP sends", metadata: [
            "sip_call_id": "\(message.value("Call-ID") ?? "")", "status": "\(message.status.map(String.init) ?? message.method ?? "")",
        ])
        connection.send(message)
    }
}

/// Carries the connection made in a channel initializer out to the caller.
final class ConnectionSlot: Sendable {
    /// The connection.
    let value = Mutex<SimulatedMetaSIPConnection?>(nil)
}

/// Hands out connection numbers from the event loops.
final class ConnectionCounter: Sendable {
    private let value = Mutex<Int>(1_000_000)

    /// The next number.
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
