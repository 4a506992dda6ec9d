// The [http] section: where the webhook endpoint listens.

/// The `[http]` section: the HTTP server that receives Meta's webhooks.
public struct HTTPConfig: Sendable, Equatable {
    /// The IP address and port to bind (default `127.0.0.1:8080`).
    public var listen: SocketAddressSpec
    /// The webhook path (default `/whatsapp/webhook`), starting with `/`.
    public var webhookPath: String
    /// The listener's certificate and key; nil serves plain HTTP.
    public var tls: HTTPTLSConfig?

    /// The defaults used for every key the file leaves out.
    public static let defaults = HTTPConfig(
        listen: SocketAddressSpec(host: "127.0.0.1", port: 8080), webhookPath: "/whatsapp/webhook")

    /// Creates an `[http]` configuration.
    public init(listen: SocketAddressSpec, webhookPath: String) {
        self.listen = listen
        self.webhookPath = webhookPath
    }
}
