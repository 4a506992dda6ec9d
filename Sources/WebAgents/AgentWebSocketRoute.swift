// The Hummingbird glue: the upgrade route at `<path>/ws` with its checks. Generic
// over the listener's request context, which supplies the peer's address.

public import Hummingbird
public import HummingbirdWebSocket

extension AgentHub {
    /// Adds the socket's upgrade route at `path` to `router`. `peer` reads the peer's
    /// IP address from a request context. The upgrade is refused (an ordinary HTTP
    /// error, never 101) without the subprotocol or from a foreign `Origin`.
    public nonisolated func register<Context: WebSocketRequestContext & RequestContext>(
        on router: Router<Context>, path: String, peer: @escaping @Sendable (Context) -> String
    ) {
        router.ws(RouterPath(path), shouldUpgrade: { [self] request, context in
            let policy = await upgradePolicy
            let protocols = request.headers[values: .secWebSocketProtocol]
                .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            if let reason = policy.refusal(origin: request.headers[.origin], host: request.head.authority,
                                           protocols: protocols) {
                await note("WebSocket upgrade refused", ["reason": "\(reason)", "peer": "\(peer(context))"])
                return .dontUpgrade
            }
            return .upgrade([.secWebSocketProtocol: AgentProtocol.subprotocol])
        }, onUpgrade: { [self] inbound, outbound, context in
            let request = context.request
            let address = peer(context.requestContext)
            let secure = await upgradePolicy.allowsCredentials(peer: address, forwardedProto: Self.forwardedProto(request))
            await serve(inbound: inbound, outbound: outbound, peerAddress: address, secure: secure)
        })
    }
}

extension AgentHub {
    /// The upgrade's `X-Forwarded-Proto`, set by reverse proxies.
    nonisolated static func forwardedProto(_ request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == "x-forwarded-proto" }?.value
    }
}
