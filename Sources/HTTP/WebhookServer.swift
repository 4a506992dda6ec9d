import Foundation
import Hummingbird
public import Logging
public import ServiceLifecycle
public import WhatsAppCloud

/// Where an HTTP server listens.
public struct HTTPListenSettings: Sendable, Equatable {
    /// Host or address to bind, e.g. `0.0.0.0` or `127.0.0.1`.
    public var host: String
    /// Port; 0 picks a free one (see ``WebhookServer/port``).
    public var port: Int

    /// Creates settings.
    public init(host: String = "0.0.0.0", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

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
    public init(listen: HTTPListenSettings, processor: WebhookProcessor,
                logger: Logger = Logger(label: "wagate.http.webhook"), metrics: (@Sendable () -> [UInt8])? = nil) {
        let router = Router()
        WebhookRoutes(processor: processor).register(on: router)
        if let metrics {
            router.get("/metrics") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics())))
            }
        }
        let port = self.port
        self.listen = listen
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
