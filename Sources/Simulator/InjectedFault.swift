import Foundation
import WhatsAppCloud

/// A fault waiting for a Graph request, injected through the control API
/// (`POST /control/faults`, docs/whatsapp-setup.md).
struct InjectedFault: Sendable {
    /// The Graph actions a fault can wait for: the five call actions, the
    /// permission look-up, messages (permission requests) and settings.
    static let actions: Set<String> = [
        "connect", "pre_accept", "accept", "reject", "terminate", "call_permissions", "messages", "settings",
    ]

    /// What happens.
    var kind: GraphFault
    /// The action it waits for; nil takes the next request of any action.
    var action: String?
    /// The error answered, for ``GraphFault/graphError``.
    var error: SimulatedGraphError?
    /// A `Retry-After` sent with the error, in seconds.
    var retryAfter: Int?

    /// A fault from the control API's body: `kind` (default `5xx`), or `code` (any of
    /// Meta's codes) with optional `action`, `http_status`, `message`, `details`,
    /// `error_data` (members added to Meta's), `next_allowed` (138012, Unix seconds)
    /// and `retry_after`.
    init(control body: JSONValue) throws(SimulatorError) {
        if let code = body["code"]?.lenientInt {
            var error = SimulatedGraphError.catalog(code, nextAllowed: body["next_allowed"]?.lenientInt.map(Double.init))
            if let status = body["http_status"]?.lenientInt, (400...599).contains(status) { error.httpStatus = status }
            if let message = body["message"]?.stringValue { error.message = message }
            if let details = body["details"]?.stringValue { error.details = details }
            if case .object(let extra)? = body["error_data"] { error.extraData.merge(extra) { $1 } }
            self.init(kind: .graphError, error: error)
        } else {
            guard let kind = GraphFault(rawValue: body["kind"]?.stringValue ?? "5xx"), kind != .graphError else {
                let kinds = GraphFault.allCases.map(\.rawValue) + MediaFault.allCases.map(\.rawValue)
                throw SimulatorError.badRequest("give a code, or a kind among \(kinds)")
            }
            self.init(kind: kind)
        }
        if let action = body["action"]?.stringValue {
            guard Self.actions.contains(action) else {
                throw SimulatorError.badRequest("action must be one of \(Self.actions.sorted())")
            }
            self.action = action
        }
        retryAfter = body["retry_after"]?.lenientInt.map { min(max($0, 0), 86_400) }
    }

    /// A fault of `kind` for the next request of any action.
    init(kind: GraphFault, action: String? = nil, error: SimulatedGraphError? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.action = action
        self.error = error
        self.retryAfter = retryAfter
    }
}
