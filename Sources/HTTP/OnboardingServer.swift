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
        self.application = port.application(router: router, listen: listen, logger: logger)
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await port.run(application)
    }
}
