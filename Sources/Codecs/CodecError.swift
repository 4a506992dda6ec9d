/// Errors of the codec wrappers.
public enum CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C library could not allocate a state object.
    case allocationFailed(String)
    /// The C library rejected a parameter or a call.
    case libraryError(String, code: Int32)

    /// A one-line explanation for logs.
    public var description: String {
        switch self {
        case .allocationFailed(let call): "codec allocation failed: \(call)"
        case let .libraryError(call, code): "codec call \(call) failed with \(code)"
        }
    }
}
