// The request context of the operator listeners: Hummingbird's, plus the peer's
// address for the bearer-token lockout.

public import Hummingbird

/// A request context that knows the peer's address (for the failure lockout).
public struct PeerRequestContext: RequestContext {
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
