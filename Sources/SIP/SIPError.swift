/// Errors of the SIP front end.
public enum SIPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The stack could not start (bind failure, bad listener combination, TLS files).
    case startFailed(String)

    /// A one-line explanation for logs and the operator.
    public var description: String {
        switch self {
        case .startFailed(let reason): "SIP stack could not start: \(reason)"
        }
    }
}
