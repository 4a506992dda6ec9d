public import AsyncHTTPClient
import Foundation
public import Logging

/// Meta's Graph API for WhatsApp Business Calling, over AsyncHTTPClient.
///
/// Every call action, the calling settings, call permissions and permission-request
/// messages, typed exactly as docs/whatsapp.md describes them. Errors are ``WhatsAppCloudError``
/// (``GraphError`` for Meta's answers). A 429 is retried with backoff; `connect` is
/// never retried after a timeout. Logs carry the path and the wacid, never headers.
public struct GraphClient: Sendable {
    /// The settings in use.
    public let settings: GraphClientSettings
    /// The HTTP client requests go through (owned by the caller).
    public let httpClient: HTTPClient
    /// Where request outcomes are logged (path and wacid, never headers).
    let logger: Logger

    /// Creates a client. `httpClient` is owned by the caller (default: the shared one).
    public init(settings: GraphClientSettings, httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "wagate.whatsapp.graph")) {
        self.settings = settings
        self.httpClient = httpClient
        self.logger = logger
    }

    // MARK: Call actions

    /// `connect`: starts a business-initiated call; returns the new wacid (`calls[0].id`).
    ///
    /// A timeout throws ``WhatsAppCloudError/timeout(path:outcomeUnknown:)`` with
    /// `outcomeUnknown == true`: the call may exist; do not retry blindly.
    public func connect(to user: WhatsAppRecipient, offer sdp: String, bizOpaqueCallbackData: String? = nil,
                        capture: CallCapture = .none) async throws -> String {
        let request = CallActionRequest.connect(to: user, offer: sdp, bizOpaqueCallbackData: bizOpaqueCallbackData)
            .capturing(capture)
        let response: ConnectResponse = try await send(
            .POST, path: "\(settings.phoneNumberID)/calls", body: request, retry: .rateLimitOnly,
            outcomeUnknownOnTimeout: true, metadata: ["graph.action": "connect"])
        guard let callID = response.callID else {
            throw WhatsAppCloudError.unexpectedResponse(path: callsPath, httpStatus: 200, body: "no calls[0].id")
        }
        return callID
    }

    /// `pre_accept` a user-initiated call with the SDP answer.
    public func preAccept(callID: String, answer sdp: String) async throws {
        try await perform(.preAccept(callID: callID, answer: sdp))
    }

    /// `accept` a user-initiated call; `sdp` must equal the pre_accept SDP.
    public func accept(callID: String, answer sdp: String, capture: CallCapture = .none) async throws {
        try await perform(CallActionRequest.accept(callID: callID, answer: sdp).capturing(capture))
    }

    /// `reject` a user-initiated call.
    public func reject(callID: String) async throws {
        try await perform(.reject(callID: callID))
    }

    /// `terminate` a call in either direction.
    public func terminate(callID: String) async throws {
        try await perform(.terminate(callID: callID))
    }

    /// Sends any call action except `connect` and checks for `success: true`.
    public func perform(_ request: CallActionRequest) async throws {
        precondition(request.action != .connect, "use connect(to:offer:) for connect")
        let response: SuccessResponse = try await send(
            .POST, path: callsPath, body: request, retry: .rateLimitOnly, outcomeUnknownOnTimeout: true,
            metadata: ["graph.action": .string(request.action.rawValue), "wacid": .string(request.callID ?? "")])
        guard response.success else {
            throw WhatsAppCloudError.unexpectedResponse(path: callsPath, httpStatus: 200, body: "success is not true")
        }
    }

    // MARK: Settings and permissions

    /// `GET /{PHONE_NUMBER_ID}/settings`: the `calling` object.
    public func callingSettings() async throws -> CallingSettings {
        let document: PhoneNumberSettings = try await send(
            .GET, path: "\(settings.phoneNumberID)/settings", body: Optional<PhoneNumberSettings>.none,
            retry: .idempotent)
        return document.calling ?? CallingSettings()
    }

    /// `POST /{PHONE_NUMBER_ID}/settings` with a `calling` object (only set fields are sent).
    public func updateCallingSettings(_ calling: CallingSettings) async throws {
        let response: SuccessResponse = try await send(
            .POST, path: "\(settings.phoneNumberID)/settings", body: PhoneNumberSettings(calling: calling),
            retry: .rateLimitOnly)
        guard response.success else {
            throw WhatsAppCloudError.unexpectedResponse(path: "settings", httpStatus: 200, body: "success is not true")
        }
    }

    /// `GET /{PHONE_NUMBER_ID}/call_permissions?user_wa_id=…` (`?recipient=BSUID` without a number).
    public func callPermissions(for user: WhatsAppRecipient) async throws -> CallPermissions {
        let query = user.permissionQuery
        return try await send(
            .GET, path: "\(settings.phoneNumberID)/call_permissions", query: [(query.name, query.value)],
            body: Optional<PhoneNumberSettings>.none, retry: .idempotent)
    }

    /// Sends the free-form interactive `call_permission_request` (inside the 24 h window).
    public func sendCallPermissionRequest(to user: WhatsAppRecipient, bodyText: String) async throws
        -> MessageSendResponse {
        try await sendMessage(.callPermissionRequest(to: user, bodyText: bodyText))
    }

    /// Sends an approved template that carries a `call_permission_request` component.
    public func sendTemplate(to user: WhatsAppRecipient, template: MessageRequest.Template) async throws
        -> MessageSendResponse {
        try await sendMessage(.template(to: user, template))
    }

    /// Sends any `POST /messages` body. Retried only on 429 (a message must not be sent twice).
    public func sendMessage(_ message: MessageRequest) async throws -> MessageSendResponse {
        try await send(.POST, path: "\(settings.phoneNumberID)/messages", body: message, retry: .rateLimitOnly)
    }

    /// The calls edge, relative to the version.
    var callsPath: String { "\(settings.phoneNumberID)/calls" }
}
