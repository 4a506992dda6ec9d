// An inbound user message on the `messages` webhook field, reduced to what the
// 24-hour customer service window needs: who wrote to which number, and when.
// The message's content is never decoded, stored or logged.

public import Foundation

/// A WhatsApp user sent the business number a message (any type but a
/// `call_permission_reply`, which is a ``CallPermissionReplyEvent``, and Meta's
/// `system` notices). Meta opens or refreshes the user's 24-hour customer
/// service window with it (docs/whatsapp.md#settings-and-permissions).
public struct UserMessageEvent: Sendable, Equatable {
    /// The message id (`wamid.…`), for deduplication.
    public var messageID: String?
    /// The user: `from`, `from_user_id`, `from_parent_user_id` and `contacts[]`.
    public var user: WebhookUser
    /// When the user sent it (`timestamp`).
    public var timestamp: Date?
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// Creates an event.
    public init(messageID: String?, user: WebhookUser, timestamp: Date? = nil, metadata: WebhookMetadata = .init()) {
        self.messageID = messageID
        self.user = user
        self.timestamp = timestamp
        self.metadata = metadata
    }
}

extension WebhookEvent {
    /// Whether this is a ``UserMessageEvent`` (kept in memory only, never stored).
    public var isUserMessage: Bool {
        if case .userMessage = self { return true }
        return false
    }
}
