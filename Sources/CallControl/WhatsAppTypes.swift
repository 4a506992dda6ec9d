// Value types exchanged with the WhatsApp adapter. They mirror WhatsAppCloud's
// webhook and error types without importing that module (it also holds the
// HTTP client, which call control must not depend on); the composition layer
// maps one to the other.

public import Foundation

/// A user's call permission as `GET call_permissions` reports it (docs/whatsapp.md#settings-and-permissions).
public struct CallPermission: Sendable, Equatable {
    /// `no_permission`, `temporary` or `permanent`.
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// No approved permission: a connect would fail with 138006.
        case noPermission = "no_permission"
        /// Approved until ``CallPermission/expiration``.
        case temporary
        /// Approved until revoked.
        case permanent
    }

    /// The status.
    public var status: Status
    /// When a temporary permission ends.
    public var expiration: Date?
    /// Whether a permission request may be sent now (`send_call_permission_request`), when Meta said.
    public var canRequestPermission: Bool?

    /// Creates a value.
    public init(status: Status, expiration: Date? = nil, canRequestPermission: Bool? = nil) {
        self.status = status
        self.expiration = expiration
        self.canRequestPermission = canRequestPermission
    }

    /// True when a call may be placed.
    public var allowsCalling: Bool { status != .noPermission }
}

/// Why a Graph request failed, as call control needs to know it.
public enum WhatsAppFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Meta answered with an error envelope (`WhatsAppCloudError.graph`).
    /// `fbtraceID` is Meta's trace id of the failed request (for Meta support and the CDR).
    case graph(code: Int, httpStatus: Int, message: String, details: String? = nil, retryAfter: Duration? = nil,
               fbtraceID: String? = nil)
    /// No response in time. For `connect` the outcome is unknown: the call may exist.
    case timeout(outcomeUnknown: Bool)
    /// The request could not be sent, or the connection failed before a response.
    case transport(String)
    /// Meta answered something that could not be understood.
    case unexpectedResponse(String)
    /// Not sent: the Graph circuit breaker is open after consecutive failures.
    case circuitOpen(retryAfter: Duration)

    /// The Graph error code, if Meta sent one.
    public var graphCode: Int? {
        if case .graph(let code, _, _, _, _, _) = self { return code }
        return nil
    }

    /// Meta's `fbtrace_id` of a Graph error, when it sent one.
    public var fbtraceID: String? {
        if case .graph(_, _, _, _, _, let trace) = self { return trace }
        return nil
    }

    /// True when a `connect` that failed this way may nevertheless have created a call.
    public var outcomeUnknown: Bool {
        switch self {
        case .timeout(let unknown): unknown
        case .transport, .unexpectedResponse, .circuitOpen: false
        case .graph: false
        }
    }

    /// True for failures that say Meta is unreachable, slow or broken (timeouts,
    /// connection errors, 5xx, unreadable answers), as opposed to Meta refusing a
    /// request (4xx business errors such as 138006). These open the circuit breaker
    /// and make a `terminate` worth retrying.
    public var isOutage: Bool {
        switch self {
        case .timeout, .transport, .unexpectedResponse, .circuitOpen: true
        case .graph(_, let httpStatus, _, _, _, _): httpStatus >= 500
        }
    }

    /// A one-line summary for logs and `Warning` text.
    public var description: String {
        switch self {
        case .graph(let code, let status, let message, let details, _, _):
            "WhatsApp error \(code) (HTTP \(status)): \(message)" + (details.map { " — \($0)" } ?? "")
        case .timeout(let unknown): unknown ? "WhatsApp API timeout (outcome unknown)" : "WhatsApp API timeout"
        case .transport(let reason): "WhatsApp API unreachable: \(reason)"
        case .unexpectedResponse(let text): "unexpected WhatsApp API response: \(text)"
        case .circuitOpen: "WhatsApp API unavailable (circuit breaker open)"
        }
    }
}

/// An error object inside a terminate webhook (138019–138023 and others).
public struct WhatsAppCallError: Sendable, Equatable {
    /// The code, e.g. 138021.
    public var code: Int?
    /// Meta's title or message.
    public var title: String?

    /// Creates a value.
    public init(code: Int?, title: String? = nil) {
        self.code = code
        self.title = title
    }
}

/// Progress of a business-initiated call (`statuses[]`).
public enum WhatsAppCallStatus: String, Sendable, Equatable, CaseIterable {
    /// The user's phone rings.
    case ringing = "RINGING"
    /// The user answered.
    case accepted = "ACCEPTED"
    /// The user declined; a terminate follows.
    case rejected = "REJECTED"
}

/// A call webhook event, already verified, decoded and (ideally) deduplicated.
public enum WhatsAppEvent: Sendable, Equatable {
    /// `connect` of a user-initiated call to business number `number`, with Meta's SDP offer
    /// and what the user came through (CTA or deeplink payload), when Meta says.
    case userCall(wacid: WACID, caller: WhatsAppUser, number: WhatsAppNumberID?, offer: String?,
                  context: InboundCallContext? = nil)
    /// `connect` of a business-initiated call, with the user's SDP answer.
    case answer(wacid: WACID, sdp: String?, opaque: String?)
    /// `statuses[]`: RINGING, ACCEPTED or REJECTED of a business-initiated call.
    case status(wacid: WACID, WhatsAppCallStatus, opaque: String?)
    /// `terminate` in either direction.
    case terminate(wacid: WACID, completed: Bool, duration: Int?, errors: [WhatsAppCallError], opaque: String?)
    /// A `call_permission_reply` message: the user allowed or refused calls.
    case permissionReply(user: WhatsAppUser, accepted: Bool, permanent: Bool, expiration: Date?)
    /// Another message from the user (`messages` field; content not kept): the
    /// user's customer service window with the number opens at `at`.
    case userMessage(user: WhatsAppUser, number: WhatsAppNumberID?, at: Date?)

    /// The wacid the event is about, if any.
    public var wacid: WACID? {
        switch self {
        case .userCall(let wacid, _, _, _, _), .answer(let wacid, _, _), .status(let wacid, _, _),
             .terminate(let wacid, _, _, _, _):
            wacid
        case .permissionReply, .userMessage: nil
        }
    }

    /// The echoed `biz_opaque_callback_data` (our ``CallID``), if any.
    public var opaque: String? {
        switch self {
        case .answer(_, _, let opaque), .status(_, _, let opaque), .terminate(_, _, _, _, let opaque): opaque
        case .userCall, .permissionReply, .userMessage: nil
        }
    }
}

/// The Graph request a result belongs to.
public enum WhatsAppOperation: String, Sendable, Equatable, CaseIterable {
    /// `pre_accept`.
    case preAccept = "pre_accept"
    /// `accept`.
    case accept
    /// `reject`.
    case reject
    /// `terminate`.
    case terminate
}
