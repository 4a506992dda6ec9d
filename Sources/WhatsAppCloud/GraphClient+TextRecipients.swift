/// The Graph requests that name a user, for a user written as text: a BSUID
/// when the text has a BSUID's shape, else a phone number (`+` and separators
/// dropped). What tools and tests type; the gateway passes ``WhatsAppRecipient``.
extension GraphClient {
    /// `connect` to a number or BSUID written as text.
    public func connect(to user: String, offer sdp: String, bizOpaqueCallbackData: String? = nil) async throws
        -> String {
        try await connect(to: WhatsAppRecipient(user), offer: sdp, bizOpaqueCallbackData: bizOpaqueCallbackData)
    }

    /// `GET call_permissions` for a number or BSUID.
    public func callPermissions(userWaID user: String) async throws -> CallPermissions {
        try await callPermissions(for: WhatsAppRecipient(user))
    }

    /// The interactive `call_permission_request` to a number or BSUID.
    public func sendCallPermissionRequest(to user: String, bodyText: String) async throws -> MessageSendResponse {
        try await sendCallPermissionRequest(to: WhatsAppRecipient(user), bodyText: bodyText)
    }

    /// An approved template with a `call_permission_request` component, to a number or BSUID.
    public func sendTemplate(to user: String, template: MessageRequest.Template) async throws -> MessageSendResponse {
        try await sendTemplate(to: WhatsAppRecipient(user), template: template)
    }
}

extension MessageRequest {
    /// An interactive call permission request to a number or BSUID written as text.
    public static func callPermissionRequest(to user: String, bodyText: String) -> Self {
        callPermissionRequest(to: WhatsAppRecipient(user), bodyText: bodyText)
    }

    /// An approved template to a number or BSUID written as text.
    public static func template(to user: String, _ template: Template) -> Self {
        self.template(to: WhatsAppRecipient(user), template)
    }
}
