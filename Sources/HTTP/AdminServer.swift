// The admin listener: health probes and the bearer-protected REST API, on a
// port of its own, off unless [admin] is configured.

import Foundation
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// The admin HTTP server as a `Service`.
public struct AdminServer: Service {
    /// The listening port, once known.
    public let port = ListeningPort()
    private let application: Application<RouterResponder<PeerRequestContext>>

    /// Builds the server on `listen` with the routes of ``AdminRoutes``; `extra`
    /// adds routes served beside them (the web console), behind their own checks.
    public init(listen: HTTPListenSettings, guard authGuard: BearerAuthGuard, backend: any AdminBackend,
                extra: @Sendable (Router<PeerRequestContext>) -> Void = { _ in },
                logger: Logger = Logger(label: "wagate.http.admin")) {
        let router = Router(context: PeerRequestContext.self)
        AdminRoutes(guard: authGuard, backend: backend, logger: logger).register(on: router)
        extra(router)
        self.application = port.application(router: router, listen: listen, logger: logger)
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await port.run(application)
    }
}
