// Where an HTTP listener binds, and the one way the listeners (webhook,
// onboarding, admin, the simulator) build and run their Hummingbird application:
// bound from the settings, with the actually bound port reported through a
// ListeningPort (port 0 picks a free one) and a listener that stops without
// binding reported as such.

public import Hummingbird
public import HummingbirdCore
public import Logging
public import ServiceLifecycle

/// Where an HTTP server listens.
public struct HTTPListenSettings: Sendable, Equatable {
    /// Host or address to bind, e.g. `0.0.0.0` or `127.0.0.1`.
    public var host: String
    /// Port; 0 picks a free one (see ``ListeningPort``).
    public var port: Int

    /// Creates settings.
    public init(host: String = "0.0.0.0", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

extension ListeningPort {
    /// A Hummingbird application serving `router` on `listen` with `server` (HTTP/1.1
    /// unless given, e.g. with TLS or WebSocket upgrades), named `serverName`
    /// in its `Server` header, that resolves this port with the port it bound
    /// (the configured one unless that is 0). Nothing listens until it runs.
    public nonisolated func application<Context>(
        router: Router<Context>, listen: HTTPListenSettings, server: HTTPServerBuilder = .http1(),
        serverName: String = "wagate", logger: Logger
    ) -> Application<RouterResponder<Context>> where Context: InitializableFromSource<ApplicationRequestContextSource> {
        Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port),
                                                    serverName: serverName),
            onServerRunning: { [self] channel in await resolve(channel.localAddress?.port ?? listen.port) },
            logger: logger)
    }

    /// Runs `application` until graceful shutdown or a failure such as a bind
    /// error (rethrown); either way, waiters still without a port then get nil.
    public nonisolated func run(_ application: some Service) async throws {
        do {
            try await application.run()
        } catch {
            await fail()
            throw error
        }
        await fail()
    }
}
