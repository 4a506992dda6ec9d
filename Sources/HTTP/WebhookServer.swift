import Foundation
import Hummingbird
public import Logging
public import ServiceLifecycle
public import WhatsAppCloud

/// A stand-alone HTTP server carrying only the webhook routes, as a `Service`.
///
/// The gateway may instead call ``WebhookRoutes/register(on:)`` on its own router.
public struct WebhookServer: Service {
    /// The listening port, once known.
    public let port = ListeningPort()
    /// The Hummingbird application carrying the routes.
    let application: Application<RouterResponder<BasicRequestContext>>
    /// Where it listens.
    let listen: HTTPListenSettings

    /// Builds the server; it starts when ``run()`` is called (by a `ServiceGroup`).
    /// `metrics`, when given, is served as `GET /metrics` (Prometheus text format 0.0.4).
    /// `options` add TLS, WebSocket upgrades and extra routes; a TLS configuration
    /// that cannot be used throws.
    public init(listen: HTTPListenSettings, processor: WebhookProcessor,
                logger: Logger = Logger(label: "wagate.http.webhook"), metrics: (@Sendable () -> [UInt8])? = nil,
                options: WebhookListenerOptions = WebhookListenerOptions()) throws {
        let router = Router()
        WebhookRoutes(processor: processor).register(on: router)
        if let metrics {
            router.get("/metrics") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics())))
            }
        }
        options.extra(router)
        self.listen = listen
        self.application = port.application(router: router, listen: listen, server: try options.serverBuilder(), logger: logger)
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await port.run(application)
    }
}
