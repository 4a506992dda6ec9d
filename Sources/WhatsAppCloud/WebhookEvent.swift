import Foundation

/// A typed event from one webhook delivery, handed to subscribers (call control).
public enum WebhookEvent: Sendable, Equatable {
    /// `calls[]` with `event: "connect"`: an offer (user-initiated) or an answer (business-initiated).
    case callConnect(CallConnectEvent)
    /// `calls[]` with `event: "terminate"`.
    case callTerminate(CallTerminateEvent)
    /// `statuses[]` on the `calls` field: RINGING, ACCEPTED or REJECTED.
    case callStatus(CallStatusEvent)
    /// A `call_permission_reply` message on the `messages` field.
    case permissionReply(CallPermissionReplyEvent)
    /// `calls[]` with `event: "call_recording_available"` or `"call_transcription_available"`.
    case callArtifact(CallArtifactEvent)
    /// Any other user message on the `messages` field: it opens the customer service window.
    case userMessage(UserMessageEvent)
    /// `errors[]` at value level of a `calls` change that carried no call or status.
    case errors([WebhookError], WebhookMetadata)
    /// An `account_update` or `account_settings_update` change.
    case account(AccountEvent)

    /// The key that identifies this event across duplicate deliveries.
    public var deduplicationKey: String {
        switch self {
        case .callConnect(let event): return "call.connect:\(event.callID)"
        case .callTerminate(let event): return "call.terminate:\(event.callID)"
        case .callStatus(let event): return "call.status:\(event.callID):\(event.status.rawValue)"
        case .callArtifact(let event): return "call.\(event.kind.rawValue):\(event.callID)"
        case .permissionReply(let event):
            let who = event.user.phone ?? event.user.userID?.rawValue ?? event.user.parentUserID?.rawValue ?? ""
            return "message.permission_reply:\(event.messageID ?? "\(who):\(event.timestamp?.timeIntervalSince1970 ?? 0)")"
        case .userMessage(let event):
            let who = event.user.phone ?? event.user.userID?.rawValue ?? event.user.parentUserID?.rawValue ?? ""
            return "message.user:\(event.messageID ?? "\(who):\(event.timestamp?.timeIntervalSince1970 ?? 0)")"
        case .errors(let errors, let metadata):
            let codes = errors.map { "\($0.code ?? 0)/\($0.title ?? "")" }.joined(separator: ",")
            return "errors:\(metadata.phoneNumberID ?? ""):\(codes)"
        case .account(let event):
            return "account:\(event.field):\(event.wabaID ?? ""):\(event.timestamp?.timeIntervalSince1970 ?? 0):\(event.detail)"
        }
    }

    /// For a connect: the key of the terminate that supersedes it (a connect that
    /// arrives after its call's terminate is stored but not delivered).
    public var supersedingKey: String? {
        if case .callConnect(let event) = self { return "call.terminate:\(event.callID)" }
        return nil
    }

    /// The wacid this event is about, if any.
    public var callID: String? {
        switch self {
        case .callConnect(let event): return event.callID
        case .callTerminate(let event): return event.callID
        case .callStatus(let event): return event.callID
        case .callArtifact(let event): return event.callID
        case .permissionReply, .userMessage, .errors, .account: return nil
        }
    }

    /// A short name for logs and storage: `connect`, `terminate`, `status`, `permission_reply`, `user_message`, `errors`,
    /// or the account field (`account_update`, `account_settings_update`).
    public var kind: String {
        switch self {
        case .callConnect: return "connect"
        case .callTerminate: return "terminate"
        case .callStatus: return "status"
        case .callArtifact(let event): return "\(event.kind.rawValue)_available"
        case .permissionReply: return "permission_reply"
        case .userMessage: return "user_message"
        case .errors: return "errors"
        case .account(let event): return event.field
        }
    }
}

/// Where a delivery came from: `entry[].id` and `value.metadata`.
public struct WebhookMetadata: Sendable, Equatable {
    /// The WhatsApp Business Account id (`entry[].id`).
    public var wabaID: String?
    /// `metadata.phone_number_id`.
    public var phoneNumberID: String?
    /// `metadata.display_phone_number`.
    public var displayPhoneNumber: String?

    /// Creates metadata.
    public init(wabaID: String? = nil, phoneNumberID: String? = nil, displayPhoneNumber: String? = nil) {
        self.wabaID = wabaID
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
    }
}

/// An error object inside a terminate or at value level: `code`, `title`, and
/// sometimes `message`, `error_data.details`, `href`.
public struct WebhookError: Sendable, Equatable {
    /// E.g. 138021 (media receive timeout).
    public var code: Int?
    /// Meta's short title.
    public var title: String?
    /// A longer message, when given.
    public var message: String?
    /// `error_data.details`, when given.
    public var details: String?
    /// A documentation link (usually absent).
    public var href: String?

    /// Creates an error value.
    public init(code: Int?, title: String? = nil, message: String? = nil, details: String? = nil, href: String? = nil) {
        self.code = code
        self.title = title
        self.message = message
        self.details = details
        self.href = href
    }
}
