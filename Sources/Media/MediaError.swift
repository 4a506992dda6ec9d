/// Errors of the media layer.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every port of the configured RTP range is in use (answer the call 503).
    case portsExhausted

    /// A one-line explanation for logs.
    public var description: String {
        switch self {
        case .portsExhausted: "no free RTP port in the configured range"
        }
    }
}
