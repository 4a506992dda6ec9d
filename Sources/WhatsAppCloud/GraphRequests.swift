import Foundation

/// One of the five call actions of `POST /{PHONE_NUMBER_ID}/calls` (docs/whatsapp.md#call-actions).
public enum CallAction: String, Codable, Sendable, CaseIterable {
    /// Business-initiated call: send an offer to a user.
    case connect
    /// User-initiated call: send the answer before the agent picks up.
    case preAccept = "pre_accept"
    /// User-initiated call: the agent answered (same SDP as pre_accept).
    case accept
    /// User-initiated call: nobody takes it.
    case reject
    /// Either direction: the business hangs up.
    case terminate
}

/// `session.sdp_type`.
public enum SDPType: String, Codable, Sendable {
    /// An SDP offer.
    case offer
    /// An SDP answer (also for pre_accept/accept, whatever Meta's tables say).
    case answer
}

/// `session` of a call request or webhook: an SDP and its type.
public struct CallSession: Codable, Sendable, Equatable {
    /// Offer or answer.
    public var sdpType: SDPType
    /// The SDP text.
    public var sdp: String

    /// Creates a session.
    public init(sdpType: SDPType, sdp: String) {
        self.sdpType = sdpType
        self.sdp = sdp
    }

    enum CodingKeys: String, CodingKey {
        case sdpType = "sdp_type"
        case sdp
    }
}

/// The body of `POST /{PHONE_NUMBER_ID}/calls`, emitted exactly as Meta expects.
public struct CallActionRequest: Codable, Sendable, Equatable {
    /// Always `"whatsapp"`.
    public var messagingProduct: String = "whatsapp"
    /// The action.
    public var action: CallAction
    /// The user's number, digits only (connect).
    public var to: String?
    /// The user's BSUID, when there is no number (connect; see ``WhatsAppRecipient``).
    public var recipient: String?
    /// The wacid (every action but connect).
    public var callID: String?
    /// The SDP (connect, pre_accept, accept).
    public var session: CallSession?
    /// Opaque data echoed in webhooks (connect, ≤ 512 characters).
    public var bizOpaqueCallbackData: String?
    /// Meta records the call (connect, accept); absent unless enabled.
    public var recording: CallCaptureRequest?
    /// Meta transcribes the call (connect, accept); absent unless enabled.
    public var transcription: CallCaptureRequest?

    /// Creates a request; prefer the static builders.
    public init(action: CallAction, to: String? = nil, callID: String? = nil, session: CallSession? = nil,
                bizOpaqueCallbackData: String? = nil) {
        self.action = action
        self.to = to
        self.callID = callID
        self.session = session
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
    }

    /// `connect` to a user with an SDP offer: `to` with the number, or `recipient` with the BSUID.
    public static func connect(to user: WhatsAppRecipient, offer sdp: String,
                               bizOpaqueCallbackData: String? = nil) -> Self {
        var request = Self(action: .connect, to: user.to, session: CallSession(sdpType: .offer, sdp: sdp),
                           bizOpaqueCallbackData: bizOpaqueCallbackData)
        request.recipient = user.recipient
        return request
    }

    /// `connect` to a number or BSUID written as text (a leading `+` is stripped).
    public static func connect(to user: String, offer sdp: String, bizOpaqueCallbackData: String? = nil) -> Self {
        connect(to: WhatsAppRecipient(user), offer: sdp, bizOpaqueCallbackData: bizOpaqueCallbackData)
    }

    /// `pre_accept` with the SDP answer (`sdp_type: "answer"`).
    public static func preAccept(callID: String, answer sdp: String) -> Self {
        Self(action: .preAccept, callID: callID, session: CallSession(sdpType: .answer, sdp: sdp))
    }

    /// `accept` with the SDP answer (must equal the pre_accept SDP).
    public static func accept(callID: String, answer sdp: String) -> Self {
        Self(action: .accept, callID: callID, session: CallSession(sdpType: .answer, sdp: sdp))
    }

    /// `reject` a user-initiated call.
    public static func reject(callID: String) -> Self { Self(action: .reject, callID: callID) }

    /// `terminate` a call in either direction.
    public static func terminate(callID: String) -> Self { Self(action: .terminate, callID: callID) }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case action, to, recipient
        case callID = "call_id"
        case session
        case bizOpaqueCallbackData = "biz_opaque_callback_data"
        case recording, transcription
    }
}

/// Helpers for WhatsApp ids, which are E.164 numbers without the `+`.
public enum WhatsAppNumber {
    /// The digits of a number: `"+44 7700-900123"` → `"447700900123"`.
    public static func digits(_ number: String) -> String {
        String(number.filter(\.isASCIIDigit))
    }
}

/// ASCII digit test for phone numbers.
extension Character {
    /// Whether this is one of `0`–`9`.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
