import Foundation

/// The body of `POST /{PHONE_NUMBER_ID}/messages` for asking a user's permission
/// to call: either the free-form interactive `call_permission_request` (inside the
/// 24 h service window) or an approved template carrying one (docs/whatsapp.md#settings-and-permissions).
public struct MessageRequest: Codable, Sendable, Equatable {
    /// Always `"whatsapp"`.
    public var messagingProduct: String = "whatsapp"
    /// Always `"individual"`.
    public var recipientType: String = "individual"
    /// The user's number, digits only.
    public var to: String?
    /// The user's BSUID, when there is no number (see ``WhatsAppRecipient``).
    public var recipient: String?
    /// `"interactive"` or `"template"`.
    public var type: String
    /// The interactive part, for `type == "interactive"`.
    public var interactive: Interactive?
    /// The template part, for `type == "template"`.
    public var template: Template?

    /// An interactive call permission request with the given body text.
    public static func callPermissionRequest(to user: WhatsAppRecipient, bodyText: String) -> Self {
        Self(to: user.to, recipient: user.recipient, type: "interactive",
             interactive: Interactive(type: "call_permission_request", action: .init(name: "call_permission_request"),
                                      body: .init(text: bodyText)))
    }

    /// An approved template (one that carries a `call_permission_request` component).
    public static func template(to user: WhatsAppRecipient, _ template: Template) -> Self {
        Self(to: user.to, recipient: user.recipient, type: "template", template: template)
    }

    /// `interactive` of a permission request.
    public struct Interactive: Codable, Sendable, Equatable {
        /// `"call_permission_request"`.
        public var type: String
        /// `{"name":"call_permission_request"}`.
        public var action: Action
        /// The text shown to the user.
        public var body: Body?

        /// `interactive.action`.
        public struct Action: Codable, Sendable, Equatable {
            /// The action name.
            public var name: String
        }

        /// `interactive.body`.
        public struct Body: Codable, Sendable, Equatable {
            /// The text.
            public var text: String
        }
    }

    /// `template`: name, language and optional components with parameters.
    public struct Template: Codable, Sendable, Equatable {
        /// The approved template's name.
        public var name: String
        /// `{"code":"en_US"}`.
        public var language: Language
        /// Components with variable parameters, if the template has any.
        public var components: [Component]?

        /// Creates a template reference.
        public init(name: String, languageCode: String, components: [Component]? = nil) {
            self.name = name
            self.language = Language(code: languageCode)
            self.components = components
        }

        /// `template.language`.
        public struct Language: Codable, Sendable, Equatable {
            /// BCP-47-like code, e.g. `en_US`.
            public var code: String
        }

        /// A template component (`body`, `header`, `call_permission_request`, …).
        public struct Component: Codable, Sendable, Equatable {
            /// The component type.
            public var type: String
            /// Text parameters for the component's variables.
            public var parameters: [Parameter]?

            /// Creates a component.
            public init(type: String, parameters: [Parameter]? = nil) {
                self.type = type
                self.parameters = parameters
            }
        }

        /// A text parameter, positional or (for templates created with
        /// `parameter_format: named`) named by `parameter_name`.
        public struct Parameter: Codable, Sendable, Equatable {
            /// `"text"`.
            public var type: String
            /// The variable's name in a named-parameter template.
            public var parameterName: String?
            /// The value.
            public var text: String?

            /// A text parameter.
            public init(text: String, name: String? = nil) {
                self.type = "text"
                self.parameterName = name
                self.text = text
            }

            enum CodingKeys: String, CodingKey {
                case type, text
                case parameterName = "parameter_name"
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case recipientType = "recipient_type"
        case to, recipient, type, interactive, template
    }
}
