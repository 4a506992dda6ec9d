public import Foundation

/// Plain settings for ``MetaSimulator``; `wagate simulate` and sandbox mode fill them.
public struct MetaSimulatorSettings: Sendable {
    /// Address to bind the Graph + control API, e.g. `127.0.0.1`.
    public var host: String
    /// Port to bind; 0 picks a free one (see ``MetaSimulator/port``).
    public var port: Int
    /// The business phone number id the simulator serves (`/{version}/{id}/calls`).
    public var phoneNumberID: String
    /// The business's display number (digits), used as `from`/`to` in webhooks.
    public var displayPhoneNumber: String
    /// The WhatsApp Business Account id (`entry[].id`).
    public var wabaID: String
    /// The Meta app id (`GET /{APP_ID}/subscriptions`, asked with `APP_ID|appSecret`).
    public var appID = "300000000000003"
    /// The number's `calling.audio.additional_codecs` at start (`PCMU`, `PCMA`), as
    /// the simulated users' media takes them.
    public var additionalCodecs: [String] = []
    /// The access token Graph requests must carry as `Bearer`; `nil` accepts any.
    public var accessToken: String?
    /// Numbers served besides the primary one (see ``numbers``), each with its own id, WABA and token.
    public var additionalNumbers: [SimulatedNumber] = []
    /// Message templates the numbers have (name, language, status); sending any
    /// other template answers 132001.
    public var templates: [SimulatedTemplate] = []
    /// The app secret that signs webhooks (and `client_secret` of the OAuth code exchange).
    public var appSecret: String
    /// The two-step verification PIN `POST /{phone_number_id}/register` accepts; nil accepts any 6 digits.
    public var registrationPIN: String?
    /// The gateway's webhook URL; `nil` sends no webhooks.
    public var webhookURL: String?
    /// Delay, duplication and reordering of webhook deliveries.
    public var delivery: WebhookDeliveryPolicy
    /// Concurrent call limit of each number (Meta: 1000) → 138002.
    public var maxConcurrentCalls: Int
    /// Business-initiated connects allowed per ``connectRateWindow`` through each number → 138005.
    public var maxConnectsPerWindow: Int
    /// The window of ``maxConnectsPerWindow``.
    public var connectRateWindow: TimeInterval
    /// Limits of the permission state machine (Meta's by default).
    public var permissionLimits: PermissionStateMachine.Limits
    /// A business-initiated call not answered by then ends unanswered.
    public var ringTimeout: Duration
    /// A user-initiated call not accepted by then ends ("Not Answered").
    public var acceptTimeout: Duration
    /// When the SDP answer of a business-initiated call is sent (connect webhook).
    public var answerTiming: AnswerTiming
    /// Whether a permission request message is answered "accept" at once (sandbox).
    public var autoAcceptPermissionRequests: Bool
    /// Sandbox: every user has granted permanent call permission unless told otherwise.
    public var grantPermissionsByDefault = false
    /// Sandbox: a ringing business-initiated call is answered by the simulated user after this long.
    public var autoAnswerAfter: Duration?
    /// Users (digits) that are not on WhatsApp → 138001.
    public var uncallableUsers: Set<String>
    /// How long a request hangs for an injected timeout fault.
    public var hangDuration: Duration
    /// The SIP-mode Meta (TLS listener, knobs).
    public var metaSIP = SimulatedMetaSIPSettings()
    /// The primary number's signalling at start.
    public var primarySignaling: SimulatedSignaling = .graph
    /// The primary number's SIP-mode facts.
    public var primarySIP: SimulatedNumberSIP?

    /// When the business-initiated call's connect webhook (with the SDP answer) goes out.
    public enum AnswerTiming: String, Sendable {
        /// With RINGING, before the user answers (media can be set up early).
        case withRinging
        /// When the user answers, after ACCEPTED.
        case afterAccepted
    }

    /// Creates settings; everything but the secret has a sandbox-friendly default.
    public init(host: String = "127.0.0.1", port: Int = 8081, phoneNumberID: String = "100000000000001",
                displayPhoneNumber: String = "15550001111", wabaID: String = "200000000000002",
                accessToken: String? = nil, appSecret: String, webhookURL: String? = nil,
                delivery: WebhookDeliveryPolicy = .init(), maxConcurrentCalls: Int = 1000,
                maxConnectsPerWindow: Int = 60, connectRateWindow: TimeInterval = 60,
                permissionLimits: PermissionStateMachine.Limits = .init(), ringTimeout: Duration = .seconds(60),
                acceptTimeout: Duration = .seconds(60), answerTiming: AnswerTiming = .withRinging,
                autoAcceptPermissionRequests: Bool = false, uncallableUsers: Set<String> = [],
                hangDuration: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
        self.wabaID = wabaID
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.webhookURL = webhookURL
        self.delivery = delivery
        self.maxConcurrentCalls = maxConcurrentCalls
        self.maxConnectsPerWindow = maxConnectsPerWindow
        self.connectRateWindow = connectRateWindow
        self.permissionLimits = permissionLimits
        self.ringTimeout = ringTimeout
        self.acceptTimeout = acceptTimeout
        self.answerTiming = answerTiming
        self.autoAcceptPermissionRequests = autoAcceptPermissionRequests
        self.uncallableUsers = uncallableUsers
        self.hangDuration = hangDuration
    }
}

/// How webhooks are delivered: Meta's are neither ordered nor exactly-once.
public struct WebhookDeliveryPolicy: Sendable, Equatable {
    /// Wait before each delivery.
    public var delay: Duration
    /// Extra copies of every delivery (0: each once).
    public var duplicates: Int
    /// Swap each pair of consecutive deliveries (a lone one goes out after ``reorderWindow``).
    public var reorder: Bool
    /// How long a delivery waits for a partner to swap with.
    public var reorderWindow: Duration
    /// Attempts per delivery when the gateway does not answer 2xx.
    public var maxAttempts: Int

    /// Creates a policy; by default in order, once, without delay.
    public init(delay: Duration = .zero, duplicates: Int = 0, reorder: Bool = false,
                reorderWindow: Duration = .milliseconds(300), maxAttempts: Int = 3) {
        self.delay = delay
        self.duplicates = duplicates
        self.reorder = reorder
        self.reorderWindow = reorderWindow
        self.maxAttempts = maxAttempts
    }
}
