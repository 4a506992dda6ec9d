import Config
import Logging
import Media
import NIOPosix
import SIP
import ServiceLifecycle
import Store

/// The composition root: builds the concrete adapters from a validated
/// configuration and runs them as services until SIGTERM or SIGINT.
///
/// Graceful shutdown is swift-service-lifecycle's: the first signal asks every
/// service to finish, and `run()` returns normally so the process exits 0.
public struct Gateway: Sendable {
    /// The configuration the gateway runs with.
    public let config: GatewayConfig
    private let logger: Logger

    /// Creates a gateway for an already validated configuration.
    public init(config: GatewayConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Runs every service until a termination signal arrives.
    public func run() async throws {
        let stack = try SIPStack(settings: SIPStackSettings(config: config), logger: logger)
        let ports = RTPPortAllocator(range: config.general.rtpPortRange)
        let store = try await SQLiteStore.open(
            StoreSettings(location: .file(path: config.storage.databasePath)), logger: logger)
        let registrations = RegistrationPersistence(store: store, registrar: stack.registrar, logger: logger)
        let group = MultiThreadedEventLoopGroup.singleton
        let whatsapp = WhatsAppSide.make(config: config, store: store, ports: ports, group: group, logger: logger)
        let services: [any Service] = [LifecycleAnnouncer(config: config, logger: logger)]
            + whatsapp.services
            + [
                SIPFrontEndService(config: config, stack: stack, ports: ports, group: group,
                                   registrations: registrations, logger: logger),
                HTTPClientShutdown(client: whatsapp.httpClient),
            ]
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await serviceGroup.run()
        } catch {
            try? await store.close()
            throw error
        }
        try? await store.close()
    }
}
