import Foundation

/// The success body of `connect`: `{"messaging_product":"whatsapp","calls":[{"id":"wacid.…"}]}`.
public struct ConnectResponse: Codable, Sendable, Equatable {
    /// `"whatsapp"` when present.
    public var messagingProduct: String?
    /// The calls created; the new call's wacid is `calls[0].id`.
    public var calls: [Call]

    /// Creates a response (used by the simulator).
    public init(callID: String) {
        messagingProduct = "whatsapp"
        calls = [Call(id: callID)]
    }

    /// The wacid of the new call.
    public var callID: String? { calls.first?.id }

    /// One entry of `calls`.
    public struct Call: Codable, Sendable, Equatable {
        /// The wacid.
        public var id: String
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case calls
    }
}

/// The success body of the other actions, settings POST and similar:
/// `{"success":true}` with or without `messaging_product`.
public struct SuccessResponse: Codable, Sendable, Equatable {
    /// `"whatsapp"` when present.
    public var messagingProduct: String?
    /// `true` on success.
    public var success: Bool

    /// Creates a response (used by the simulator).
    public init(success: Bool = true, messagingProduct: String? = "whatsapp") {
        self.success = success
        self.messagingProduct = messagingProduct
    }

    /// Decodes leniently: missing fields take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messagingProduct = container.lenientString(.messagingProduct)
        success = container.lenientBool(.success) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case success
    }
}

/// The success body of `POST /messages`.
public struct MessageSendResponse: Codable, Sendable, Equatable {
    /// `"whatsapp"`.
    public var messagingProduct: String?
    /// The recipients as Meta resolved them.
    public var contacts: [Contact]?
    /// The sent messages' ids (`wamid.…`).
    public var messages: [Message]

    /// Creates a response (used by the simulator).
    public init(to user: String, messageID: String) {
        messagingProduct = "whatsapp"
        contacts = [Contact(input: user, waID: user)]
        messages = [Message(id: messageID)]
    }

    /// The id of the sent message.
    public var messageID: String? { messages.first?.id }

    /// One recipient.
    public struct Contact: Codable, Sendable, Equatable {
        /// The number as sent.
        public var input: String?
        /// The WhatsApp id.
        public var waID: String?

        enum CodingKeys: String, CodingKey {
            case input
            case waID = "wa_id"
        }
    }

    /// One message id.
    public struct Message: Codable, Sendable, Equatable {
        /// `wamid.…`.
        public var id: String
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case contacts, messages
    }
}
