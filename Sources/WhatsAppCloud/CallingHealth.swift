public import Foundation

/// Something about a number's calling set-up worth an operator's attention.
public struct CallingFinding: Sendable, Equatable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable, Comparable {
        /// Calls fail (or some calls fail) until it is fixed.
        case critical
        /// Calls work, but not always as configured (e.g. outside call hours now).
        case warning
        /// Something the check could not look at.
        case info

        private var rank: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
        /// Critical sorts first.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    /// How bad it is.
    public var severity: Severity
    /// A stable identifier for logs and metrics, e.g. `calling_disabled`.
    public var code: String
    /// What is wrong and what to do, in one sentence.
    public var message: String

    /// Creates a finding.
    public init(_ severity: Severity, _ code: String, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }

    /// `critical calling_disabled: …`.
    public var description: String { "\(severity.rawValue) \(code): \(message)" }
}

/// What Meta said about one number: its settings, the WABA's subscribed apps and
/// the app's webhook fields. A nil value with a nil error was not asked for.
public struct CallingHealthFacts: Sendable, Equatable {
    /// `GET /{PHONE_NUMBER_ID}/settings`'s `calling`.
    public var settings: CallingSettings?
    /// Why the settings could not be read.
    public var settingsError: WhatsAppCloudError?
    /// `GET /{WABA_ID}/subscribed_apps`; nil without a WABA id.
    public var subscribedApps: [SubscribedApp]?
    /// Why the subscribed apps could not be read.
    public var subscribedAppsError: WhatsAppCloudError?
    /// The app's `whatsapp_business_account` subscription; nil without an app id.
    public var appSubscription: AppSubscription?
    /// Why the app's subscriptions could not be read, or ``noWhatsAppSubscription``.
    public var appSubscriptionError: String?
    /// The app id the check looked for, when configured.
    public var appID: String?

    /// Creates facts.
    public init(settings: CallingSettings? = nil, settingsError: WhatsAppCloudError? = nil,
                subscribedApps: [SubscribedApp]? = nil, subscribedAppsError: WhatsAppCloudError? = nil,
                appSubscription: AppSubscription? = nil, appSubscriptionError: String? = nil, appID: String? = nil) {
        self.settings = settings
        self.settingsError = settingsError
        self.subscribedApps = subscribedApps
        self.subscribedAppsError = subscribedAppsError
        self.appSubscription = appSubscription
        self.appSubscriptionError = appSubscriptionError
        self.appID = appID
    }

    /// The ``appSubscriptionError`` when Meta answered, but with no WhatsApp subscription at all.
    public static let noWhatsAppSubscription = "no whatsapp_business_account subscription"

    /// Whether the app is subscribed to webhook `field`: nil when unknown.
    public func isSubscribed(to field: String) -> Bool? {
        guard let appSubscription else { return appSubscriptionError == Self.noWhatsAppSubscription ? false : nil }
        return appSubscription.active && appSubscription.fields.contains(field)
    }

    /// Whether the configured app (or, without an app id, any app) gets the WABA's webhooks: nil when unknown.
    public var appReceivesWABA: Bool? {
        guard let subscribedApps else { return nil }
        guard let appID else { return !subscribedApps.isEmpty }
        return subscribedApps.contains { $0.id == appID }
    }
}

/// Turns ``CallingHealthFacts`` into findings (pure; the same rules serve
/// `wagate whatsapp status` and the start-up check).
public enum CallingHealth {
    /// The findings, most severe first. `usesGraph`: wagate places and takes calls
    /// through the Graph API (so Meta's SIP mode would switch it off).
    public static func findings(_ facts: CallingHealthFacts, usesGraph: Bool = true, now: Date) -> [CallingFinding] {
        var found = settingsFindings(facts, usesGraph: usesGraph, now: now)
        // Unreachable: nothing else was asked, so nothing else can be said.
        if facts.settingsError == nil || facts.settingsError?.graphError != nil { found += subscriptionFindings(facts) }
        return found.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
            .map(\.element)
    }

    private static func settingsFindings(_ facts: CallingHealthFacts, usesGraph: Bool, now: Date) -> [CallingFinding] {
        if let error = facts.settingsError {
            if let graph = error.graphError, graph.httpStatus == 404 || graph.code == 100 || graph.code == 803 {
                return [.init(.critical, "number_not_found",
                              "Meta does not know this phone number id, or the token may not use it: \(graph.message)")]
            }
            return [.init(.critical, "settings_unreadable", "the calling settings could not be read: \(error)")]
        }
        guard let settings = facts.settings else { return [] }
        var found: [CallingFinding] = []
        if !settings.isEnabled {
            found.append(.init(.critical, "calling_disabled",
                               "calling is \(settings.status ?? "not enabled") at Meta: no call reaches or leaves this number "
                                   + "(set whatsapp calling = enabled and run wagate whatsapp apply)"))
        }
        if usesGraph, settings.isSIPEnabled {
            found.append(.init(.critical, "sip_mode_enabled",
                               "Meta's SIP interface is on: the Graph calls endpoint answers 131055 and no calls webhooks arrive"))
        }
        if let list = settings.restrictions?.restrictionsList, !list.isEmpty {
            found.append(.init(.critical, "calling_restricted",
                               "Meta restricts calling on this number: \(CallingSettingsText.restrictions(settings.restrictions))"))
        }
        if let hours = settings.callHours, hours.isEnabled {
            switch hours.isOpen(at: now) {
            case false?:
                found.append(.init(.warning, "call_hours_closed",
                                   "outside call hours now (\(CallingSettingsText.hours(hours))): users cannot call"))
            case nil:
                found.append(.init(.warning, "call_hours_unknown_zone",
                                   "call hours use an unknown time zone '\(hours.timezoneID ?? "")'"))
            case true?: break
            }
        }
        return found
    }

    private static func subscriptionFindings(_ facts: CallingHealthFacts) -> [CallingFinding] {
        var found: [CallingFinding] = []
        if let error = facts.subscribedAppsError {
            found.append(.init(.warning, "subscribed_apps_unreadable", "the WABA's subscribed apps could not be read: \(error)"))
        } else if facts.appReceivesWABA == false {
            found.append(.init(.critical, "app_not_subscribed",
                               "the app is not subscribed to the WABA: no webhooks arrive (POST /{WABA_ID}/subscribed_apps)"))
        } else if facts.subscribedApps == nil {
            found.append(.init(.info, "waba_unknown", "no WABA id configured (waba_id): app subscription not checked"))
        }
        if let error = facts.appSubscriptionError, facts.appSubscription == nil, error != CallingHealthFacts.noWhatsAppSubscription {
            found.append(.init(.warning, "app_subscriptions_unreadable", "the app's webhook fields could not be read: \(error)"))
            return found
        }
        if facts.appSubscription == nil, facts.appSubscriptionError == nil {
            found.append(.init(.info, "app_unknown", "no app id configured (app_id): webhook fields not checked"))
            return found
        }
        for field in ["calls", "messages"] where facts.isSubscribed(to: field) == false {
            let effect = field == "calls" ? "no call webhooks arrive: user calls never ring and answers are lost"
                : "permission replies never arrive"
            found.append(.init(.critical, "\(field)_not_subscribed", "the app is not subscribed to the '\(field)' field: \(effect)"))
        }
        return found
    }
}
