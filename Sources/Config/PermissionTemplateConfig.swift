// `permission_template*` keys: the approved message template, with a call
// permission request button, that asks a user for permission to call when no
// 24-hour customer service window is open (docs/whatsapp.md#settings-and-permissions).

/// An approved call permission request template: its name, language and the
/// text parameters of its components, some filled in per call.
public struct PermissionTemplateConfig: Sendable, Equatable {
    /// The template's name in the WhatsApp Manager (`permission_template`).
    public var name: String
    /// The template's language code (`permission_template_language`, e.g. `en_US`).
    public var language: String
    /// One entry per `permission_template_component` line, in file order.
    public var components: [Component]

    /// The longest parameter text sent (Meta's body text limit is 1024 in all).
    public static let maxParameterLength = 256
    /// The language when `permission_template_language` is not set.
    public static let defaultLanguage = "en_US"

    /// Creates a template reference.
    public init(name: String, language: String = defaultLanguage, components: [Component] = []) {
        self.name = name
        self.language = language
        self.components = components
    }

    /// A component (`body` or `header`) and its text parameters.
    public struct Component: Sendable, Equatable {
        /// `body` or `header`.
        public var type: String
        /// Its parameters, in order.
        public var parameters: [Parameter]

        /// Creates a component.
        public init(type: String, parameters: [Parameter]) {
            self.type = type
            self.parameters = parameters
        }
    }

    /// One text parameter: positional, or named (templates created with `parameter_format: named`).
    public struct Parameter: Sendable, Equatable {
        /// The variable's name for a named parameter; nil for a positional one.
        public var name: String?
        /// Fixed text or a value taken from the call.
        public var value: Value

        /// Creates a parameter.
        public init(name: String? = nil, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// A parameter's value.
    public enum Value: Sendable, Equatable {
        /// Fixed text.
        case text(String)
        /// Filled in when the request is sent.
        case substitution(Substitution)
    }

    /// What a `{…}` parameter stands for.
    public enum Substitution: String, Sendable, Equatable, CaseIterable {
        /// The business number the request goes out from, `+E164`.
        case businessNumber = "business_number"
        /// What the SIP caller dialled to reach the WhatsApp user.
        case dialled
        /// The SIP caller: From display name, else From user part, else the business number.
        case caller
    }
}
