// What the [http] listener serves beside Meta's webhooks: TLS, a WebSocket
// upgrade route (browser agents) and extra routes (the web phone page).

public import Hummingbird
import HummingbirdCore
public import HummingbirdTLS
public import HummingbirdWebSocket
import NIOCore

/// The request context of WebSocket upgrades on the `[http]` listener: it knows the peer's address.
public struct PeerWebSocketContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// Where the upgrade handler is kept.
    public let webSocket: WebSocketHandlerReference<Self>
    /// The peer's IP address, or empty when unknown.
    public let source: String

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.source = source.channel.remoteAddress?.ipAddress ?? ""
    }
}

/// Options of the `[http]` listener.
public struct WebhookListenerOptions: Sendable {
    /// The server's TLS configuration; nil serves plain HTTP.
    public var tls: TLSConfiguration?
    /// Adds WebSocket upgrade routes; nil: no upgrades.
    public var webSocket: (@Sendable (Router<PeerWebSocketContext>) -> Void)?
    /// Adds ordinary routes beside the webhook's.
    public var extra: @Sendable (Router<BasicRequestContext>) -> Void

    /// Plain HTTP, no upgrades, no extra routes.
    public init(tls: TLSConfiguration? = nil, webSocket: (@Sendable (Router<PeerWebSocketContext>) -> Void)? = nil,
                extra: @escaping @Sendable (Router<BasicRequestContext>) -> Void = { _ in }) {
        self.tls = tls
        self.webSocket = webSocket
        self.extra = extra
    }

    /// A server TLS configuration from a PEM certificate chain and a PEM private key.
    public static func serverTLS(certificateFile: String, privateKeyFile: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    /// The server builder: HTTP/1.1, with the WebSocket upgrade (frames up to 64 KiB,
    /// text checked as UTF-8, pings every 30 s, 2 s for the peer to answer a close so
    /// a client that stopped reading cannot hold up a shutdown) when routes were given,
    /// and TLS when configured.
    func serverBuilder() throws -> HTTPServerBuilder {
        var base = HTTPServerBuilder.http1()
        if let webSocket {
            let router = Router(context: PeerWebSocketContext.self)
            webSocket(router)
            base = .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(
                ws: .init(maxFrameSize: 65_536, autoPing: .enabled(timePeriod: .seconds(30)), closeTimeout: .seconds(2),
                          validateUTF8: true)))
        }
        guard let tls else { return base }
        return try .tls(base, tlsConfiguration: tls)
    }
}
