import Foundation

/// The one error type of the `Simulator` module.
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    /// A control request named a call the simulator does not know.
    case unknownCall(String)
    /// A control request does not fit the call's state (e.g. answering an ended call).
    case invalidState(callID: String, state: String, action: String)
    /// A control request body or parameter is invalid.
    case badRequest(String)
    /// The control API answered with an error (status and body).
    case controlFailed(status: Int, body: String)
    /// The simulated user's media could not make or take an SDP.
    case media(String)

    /// The HTTP status the control API answers with.
    public var httpStatus: Int {
        switch self {
        case .unknownCall: return 404
        case .invalidState: return 409
        case .badRequest: return 400
        case .controlFailed(let status, _): return status
        case .media: return 500
        }
    }

    /// A human-readable description.
    public var description: String {
        switch self {
        case .unknownCall(let id): return "unknown call \(id)"
        case .invalidState(let id, let state, let action): return "call \(id) is \(state); cannot \(action)"
        case .badRequest(let reason): return "bad request: \(reason)"
        case .controlFailed(let status, let body): return "control API answered \(status): \(body)"
        case .media(let reason): return "simulated media: \(reason)"
        }
    }
}
