// What a call permission request message is: Meta's interactive message (only
// inside a 24-hour customer service window) or an approved template with a
// call permission request button (any time).

public import Config
import Foundation

/// A call permission request, ready to send (docs/whatsapp.md#settings-and-permissions).
public enum PermissionRequestMessage: Sendable, Equatable {
    /// The free-form interactive `call_permission_request` with this body text.
    case interactive(text: String)
    /// An approved template: name, language code and filled-in components.
    case template(name: String, language: String, components: [PermissionTemplateComponent])

    /// The metric label and log value: `interactive` or `template`.
    public var kind: PermissionRequestKind {
        switch self {
        case .interactive: .interactive
        case .template: .template
        }
    }
}

/// The two ways of asking for permission.
public enum PermissionRequestKind: String, Sendable, Equatable, CaseIterable {
    /// Inside a customer service window.
    case interactive
    /// Outside one (or inside: a template is valid any time).
    case template
}

/// A template component with its parameters' final text.
public struct PermissionTemplateComponent: Sendable, Equatable {
    /// `body` or `header`.
    public var type: String
    /// The parameters in order: name (named templates) and text.
    public var parameters: [(name: String?, text: String)]

    /// Creates a component.
    public init(type: String, parameters: [(name: String?, text: String)]) {
        self.type = type
        self.parameters = parameters
    }

    /// Equal when type and every parameter are.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.type == rhs.type && lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.name == $1.name && $0.text == $1.text }
    }
}

/// What a template's `{…}` parameters are filled in with for one request.
public struct PermissionRequestContext: Sendable, Equatable {
    /// The business number, `+E164`.
    public var businessNumber: String
    /// What the SIP caller dialled.
    public var dialled: String?
    /// The SIP caller's display name or user part.
    public var caller: String?

    /// Creates a context.
    public init(businessNumber: String, dialled: String? = nil, caller: String? = nil) {
        self.businessNumber = businessNumber
        self.dialled = dialled
        self.caller = caller
    }
}

extension PermissionTemplateConfig {
    /// The template message for one request: each `{…}` filled in from `context`.
    /// A value the call does not have falls back to the business number, so no
    /// parameter is ever empty (Meta refuses empty parameters).
    public func message(_ context: PermissionRequestContext) -> PermissionRequestMessage {
        let components = components.map { component in
            PermissionTemplateComponent(type: component.type, parameters: component.parameters.map { parameter in
                (parameter.name, Self.text(parameter.value, context))
            })
        }
        return .template(name: name, language: language, components: components)
    }

    private static func text(_ value: Value, _ context: PermissionRequestContext) -> String {
        let filled: String? = switch value {
        case .text(let text): text
        case .substitution(.businessNumber): context.businessNumber
        case .substitution(.dialled): context.dialled
        case .substitution(.caller): context.caller
        }
        // A SIP display name is outside input: Meta refuses parameters with new
        // lines, tabs or runs of spaces, so those become single spaces.
        let words = (filled ?? "").split(whereSeparator: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
        guard !words.isEmpty else { return context.businessNumber }
        return String(words.joined(separator: " ").prefix(maxParameterLength))
    }
}

extension PermissionRequestMessage {
    /// Which request to send: the interactive message while the user's customer
    /// service window is open (Meta refuses it outside one with 131047), else the
    /// number's template; nil when there is no window and no template.
    public static func choose(windowOpen: Bool, template: PermissionTemplateConfig?, text: String,
                              context: PermissionRequestContext) -> PermissionRequestMessage? {
        if windowOpen { return .interactive(text: text) }
        return template?.message(context)
    }
}

/// What became of a permission request call control was asked to send.
public enum PermissionRequestOutcome: Sendable, Equatable {
    /// Handed to the Graph lane; Meta's answer comes later.
    case queued
    /// Held back by Meta's request limits: an earlier request is still with the user.
    case limited
    /// No message can reach the user: no open customer service window and no `permission_template`.
    case impossible
}
