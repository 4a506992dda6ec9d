public import Foundation

/// Who started a call.
public enum CallDirection: String, Sendable, Equatable {
    /// The WhatsApp user called the business.
    case userInitiated = "USER_INITIATED"
    /// The business called the user (`connect` action).
    case businessInitiated = "BUSINESS_INITIATED"
}

/// A `connect` call webhook.
public struct CallConnectEvent: Sendable, Equatable {
    /// The wacid.
    public var callID: String
    /// The direction (from `direction`, else inferred from the SDP type).
    public var direction: CallDirection
    /// The caller: user digits (user-initiated) or the business number.
    public var from: String?
    /// The callee.
    public var to: String?
    /// The event time.
    public var timestamp: Date?
    /// The SDP: an offer (user-initiated) or an answer (business-initiated); from
    /// `session`, else from the legacy `connection.webrtc.sdp`.
    public var session: CallSession?
    /// Echo of `biz_opaque_callback_data`.
    public var bizOpaqueCallbackData: String?
    /// `deeplink_payload`, when the user came through a deep link.
    public var deeplinkPayload: String?
    /// `cta_payload`, when the user came through a call button.
    public var ctaPayload: String?
    /// The WhatsApp user (the caller of a user-initiated call, the callee of a
    /// business-initiated one), from `from`/`to`, their `…_user_id` and `contacts[]`.
    public var user: WebhookUser
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// `contacts[].profile.name` for the user, when sent.
    public var contactName: String? { user.profileName }

    /// Creates an event.
    public init(callID: String, direction: CallDirection, from: String? = nil, to: String? = nil, timestamp: Date? = nil,
                session: CallSession? = nil, bizOpaqueCallbackData: String? = nil, deeplinkPayload: String? = nil,
                ctaPayload: String? = nil, user: WebhookUser = .init(), metadata: WebhookMetadata = .init()) {
        self.callID = callID
        self.direction = direction
        self.from = from
        self.to = to
        self.timestamp = timestamp
        self.session = session
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
        self.deeplinkPayload = deeplinkPayload
        self.ctaPayload = ctaPayload
        self.user = user
        self.metadata = metadata
    }
}

/// How a call ended (`status`, compared case-insensitively).
public enum CallTerminationStatus: Sendable, Equatable {
    /// `COMPLETED`.
    case completed
    /// `FAILED`.
    case failed
    /// Anything else, uppercased.
    case other(String)

    /// Parses a status case-insensitively.
    public init(_ text: String?) {
        switch text?.uppercased() {
        case "COMPLETED": self = .completed
        case "FAILED": self = .failed
        case let other: self = .other(other ?? "")
        }
    }
}

/// A `terminate` call webhook (either direction).
public struct CallTerminateEvent: Sendable, Equatable {
    /// The wacid.
    public var callID: String
    /// The direction, when sent.
    public var direction: CallDirection?
    /// `from`, when sent.
    public var from: String?
    /// `to`, when sent.
    public var to: String?
    /// The event time.
    public var timestamp: Date?
    /// COMPLETED, FAILED or other.
    public var status: CallTerminationStatus
    /// When the call was answered.
    public var startTime: Date?
    /// When it ended.
    public var endTime: Date?
    /// Seconds, only if it was answered.
    public var duration: Int?
    /// Errors inside the call and at value level, without duplicates.
    public var errors: [WebhookError]
    /// The WhatsApp user, as in ``CallConnectEvent/user``.
    public var user = WebhookUser()
    /// Echo of `biz_opaque_callback_data`.
    public var bizOpaqueCallbackData: String?
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// Creates an event.
    public init(callID: String, direction: CallDirection? = nil, from: String? = nil, to: String? = nil,
                timestamp: Date? = nil, status: CallTerminationStatus, startTime: Date? = nil, endTime: Date? = nil,
                duration: Int? = nil, errors: [WebhookError] = [], bizOpaqueCallbackData: String? = nil,
                metadata: WebhookMetadata = .init()) {
        self.callID = callID
        self.direction = direction
        self.from = from
        self.to = to
        self.timestamp = timestamp
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.duration = duration
        self.errors = errors
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
        self.metadata = metadata
    }
}

/// A business-initiated call's progress (`statuses[]`, field `calls`).
public enum CallProgress: String, Sendable, Equatable {
    /// The user's phone rings.
    case ringing = "RINGING"
    /// The user answered.
    case accepted = "ACCEPTED"
    /// The user declined (a terminate follows).
    case rejected = "REJECTED"
}

/// A `statuses[]` item of type `call`.
public struct CallStatusEvent: Sendable, Equatable {
    /// The wacid.
    public var callID: String
    /// RINGING, ACCEPTED or REJECTED.
    public var status: CallProgress
    /// The event time.
    public var timestamp: Date?
    /// The user: `recipient_id` (digits, when Meta shares the number),
    /// `recipient_user_id` and `recipient_parent_user_id`.
    public var recipient: WebhookUser
    /// Echo of `biz_opaque_callback_data`.
    public var bizOpaqueCallbackData: String?
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// The user's digits (`recipient_id`), when sent.
    public var recipientID: String? { recipient.phone }

    /// Creates an event.
    public init(callID: String, status: CallProgress, timestamp: Date? = nil, recipient: WebhookUser = .init(),
                bizOpaqueCallbackData: String? = nil, metadata: WebhookMetadata = .init()) {
        self.callID = callID
        self.status = status
        self.timestamp = timestamp
        self.recipient = recipient
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
        self.metadata = metadata
    }
}

/// A user's answer to a call permission request (field `messages`).
public struct CallPermissionReplyEvent: Sendable, Equatable {
    /// The message id (`wamid.…`).
    public var messageID: String?
    /// The user's digits (`from`); absent for a user Meta names only by BSUID.
    public var from: String? { user.phone }
    /// The user: `from`, `from_user_id`, `from_parent_user_id` and `contacts[]`.
    public var user: WebhookUser
    /// The event time.
    public var timestamp: Date?
    /// `true` for "accept".
    public var accepted: Bool
    /// Whether the permission is permanent.
    public var isPermanent: Bool
    /// When a temporary permission ends.
    public var expiration: Date?
    /// `user_action` or `automatic`.
    public var responseSource: String?
    /// The id of the request message this answers (`context.id`).
    public var contextMessageID: String?
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// Creates an event.
    public init(messageID: String?, user: WebhookUser, timestamp: Date? = nil, accepted: Bool, isPermanent: Bool,
                expiration: Date? = nil, responseSource: String? = nil, contextMessageID: String? = nil,
                metadata: WebhookMetadata = .init()) {
        self.messageID = messageID
        self.user = user
        self.timestamp = timestamp
        self.accepted = accepted
        self.isPermanent = isPermanent
        self.expiration = expiration
        self.responseSource = responseSource
        self.contextMessageID = contextMessageID
        self.metadata = metadata
    }
}
