// The onboarding listener: the Embedded Signup page and the bearer-protected
// API that onboards, lists and removes numbers, on a port of its own.

import Foundation
import Hummingbird
public import Logging
public import ServiceLifecycle
public import WhatsAppCloud

/// The onboarding HTTP server as a `Service`.
public struct OnboardingServer: Service {
    /// The listening port, once known.
    public let port = ListeningPort()
    private let application: Application<RouterResponder<PeerRequestContext>>

    /// Builds the server on `listen`, serving `page` at `GET /onboarding/` and
    /// the API routes of ``OnboardingRoutes``.
    public init(listen: HTTPListenSettings, page: String, guard authGuard: BearerAuthGuard,
                backend: any OnboardingBackend, logger: Logger = Logger(label: "wagate.http.onboarding")) {
        let router = Router(context: PeerRequestContext.self)
        OnboardingRoutes(page: page, guard: authGuard, backend: backend, logger: logger).register(on: router)
        let port = self.port
        self.application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port),
                                                    serverName: "wagate"),
            onServerRunning: { channel in await port.resolve(channel.localAddress?.port ?? listen.port) },
            logger: logger)
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        defer { Task { [port] in await port.fail() } }
        try await application.run()
    }
}
