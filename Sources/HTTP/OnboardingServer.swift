// The onboarding listener: the Embedded Signup page and the bearer-protected
// API that onboards, lists and removes numbers, on a port of its own.

import Foundation
public import Hummingbird
public import Logging
public import ServiceLifecycle
public import WhatsAppCloud

/// A request context that knows the peer's address (for the failure lockout).
public struct OnboardingRequestContext: RequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or empty when unknown.
    public let source: String

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.source = source.channel.remoteAddress?.ipAddress ?? ""
    }
}

/// The onboarding HTTP server as a `Service`.
public struct OnboardingServer: Service {
    /// The listening port, once known.
    public let port = ListeningPort()
    private let application: Application<RouterResponder<OnboardingRequestContext>>

    /// Builds the server on `listen`, serving `page` at `GET /onboarding/` and
    /// the API routes of ``OnboardingRoutes``.
    public init(listen: HTTPListenSettings, page: String, guard authGuard: OnboardingAuthGuard,
                backend: any OnboardingBackend, logger: Logger = Logger(label: "wagate.http.onboarding")) {
        let router = Router(context: OnboardingRequestContext.self)
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
