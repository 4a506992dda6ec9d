import Foundation

/// The one error type of the `HTTP` module.
public enum HTTPError: Error, Sendable, CustomStringConvertible {
    /// The server stopped before it reported its listening port.
    case notListening(host: String, port: Int)

    /// A human-readable description.
    public var description: String {
        switch self {
        case .notListening(let host, let port): return "server on \(host):\(port) stopped before listening"
        }
    }
}
