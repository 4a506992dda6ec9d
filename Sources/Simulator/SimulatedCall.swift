public import Foundation
public import WhatsAppCloud

/// One call as the simulator (playing Meta and the user) sees it.
public struct SimulatedCall: Sendable, Equatable {
    /// Where the call is.
    public enum State: String, Sendable, Codable {
        /// Business-initiated, connect accepted; the user's phone is not alerted yet
        /// (no RINGING status sent), so the user cannot answer or decline yet.
        case calling
        /// Business-initiated, the user's phone rings.
        case ringing
        /// Business-initiated, the user answered.
        case answered
        /// User-initiated, waiting for the business (pre_accept/accept/reject).
        case offered
        /// User-initiated, pre_accepted.
        case preAccepted = "pre_accepted"
        /// User-initiated, accepted.
        case accepted
        /// Over.
        case ended
    }

    /// The wacid.
    public var id: String
    /// Who started it.
    public var direction: CallDirection
    /// The user's digits.
    public var user: String
    /// The state.
    public var state: State
    /// When it started.
    public var createdAt: Date
    /// When media could flow (answered or accepted).
    public var answeredAt: Date?
    /// The business's SDP: its offer (business-initiated) or its pre_accept/accept answer.
    public var businessSDP: String?
    /// The user's SDP: its offer (user-initiated) or Meta's answer (business-initiated).
    public var userSDP: String?
    /// Echoed in webhooks.
    public var bizOpaqueCallbackData: String?
    /// The business number's id (phone_number_id) the call is to or from.
    public var number = ""
    /// The `recording` / `transcription` objects of the connect or accept, by name.
    public var capture: [String: JSONValue] = [:]
    /// How the call is signalled: Graph, or Meta's SIP interface.
    public var signaling: SimulatedSignaling = .graph
    /// SIP facts of a SIP call (its Call-ID, what the gateway presented and echoed).
    public var sip: [String: JSONValue] = [:]

    /// Whether the call is not over.
    public var isLive: Bool { state != .ended }

    /// A summary for the control API.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "direction": .string(direction.rawValue), "user": .string(user),
            "state": .string(state.rawValue), "created_at": .number(createdAt.timeIntervalSince1970.rounded()),
        ]
        if let answeredAt { object["answered_at"] = .number(answeredAt.timeIntervalSince1970.rounded()) }
        if let businessSDP { object["business_sdp"] = .string(businessSDP) }
        if let userSDP { object["user_sdp"] = .string(userSDP) }
        object["phone_number_id"] = .string(number)
        for (name, value) in capture { object[name] = value }
        object["signaling"] = .string(signaling.rawValue)
        if !sip.isEmpty { object["sip"] = .object(sip) }
        return .object(object)
    }
}

/// A Graph error as the simulator answers it, in Meta's envelope.
struct SimulatedGraphError: Error, Sendable {
    /// Meta's code.
    var code: Int
    /// The HTTP status.
    var httpStatus: Int
    /// The message after `(#code)`.
    var message: String
    /// `error_data.details`.
    var details: String?
    /// More `error_data` members.
    var extraData: [String: JSONValue] = [:]

    /// The `{"error":{…}}` body.
    var body: JSONValue {
        var error: [String: JSONValue] = [
            "message": .string("(#\(code)) \(message)"), "type": "OAuthException", "code": .number(Double(code)),
            "fbtrace_id": .string("A\(MetaIDs.random().prefix(22))"),
        ]
        var data = extraData
        if let details { data["details"] = .string(details) }
        if !data.isEmpty { error["error_data"] = .object(data) }
        return ["error": .object(error)]
    }

    /// 100 with details.
    static func invalidParameter(_ details: String) -> Self {
        Self(code: 100, httpStatus: 400, message: "Invalid parameter", details: details)
    }

    /// 138000.
    static let callingDisabled = Self(code: 138000, httpStatus: 401, message: "Calling is not enabled for this phone number")
    /// 131055.
    static let sipMode = Self(code: 131055, httpStatus: 400,
                              message: "Method not allowed: calling via Graph API is disabled while SIP is enabled")
    /// 138001.
    static let uncallable = Self(code: 138001, httpStatus: 400, message: "Receiver is not capable of receiving calls")
    /// 138002.
    static let concurrency = Self(code: 138002, httpStatus: 429, message: "Concurrent call limit reached")
    /// 138003.
    static let duplicate = Self(code: 138003, httpStatus: 400, message: "A call with this user is already ongoing")
    /// 138005.
    static let rateLimit = Self(code: 138005, httpStatus: 429, message: "Call rate limit exceeded")
    /// 138006.
    static let noPermission = Self(code: 138006, httpStatus: 401, message: "No approved call permission from the recipient")
    /// 138009.
    static let requestLimit = Self(code: 138009, httpStatus: 400, message: "Call permission request limit reached")
    /// 190 (bad token).
    static let unauthorized = Self(code: 190, httpStatus: 401, message: "Invalid OAuth access token")
    /// Code 1, HTTP 500.
    static let serverError = Self(code: 1, httpStatus: 500, message: "An unknown error occurred")

    /// 138012 with the next allowed time: Meta documents only that `error_data.details`
    /// "will include a timestamp when the next call is allowed"; the simulator writes
    /// it as Unix seconds at the end of the details text.
    static func dailyLimit(nextAllowed: Date?) -> Self {
        var details = "Limit reached for maximum business initiated calls allowed in 24 hours."
        if let nextAllowed { details += " Next call allowed at \(Int(nextAllowed.timeIntervalSince1970.rounded()))" }
        return Self(code: 138012, httpStatus: 400, message: "Business Initiated Calls Limit Hit", details: details)
    }
}
