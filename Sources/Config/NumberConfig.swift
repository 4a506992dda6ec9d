// `type = number` sections: the WhatsApp business numbers wagate serves. Each
// has its own Graph credentials, inbound plan and Meta-side limits; the app
// keys (app secret, verify token, Graph URL and version) stay in [whatsapp].

/// A `type = number` section: one WhatsApp business phone number.
public struct NumberConfig: Sendable, Equatable {
    /// The section name (`sales`, `support`); `default` for the implicit
    /// number of a `[whatsapp]` section with `phone_number_id`.
    public var name: String
    /// The number's id in the Graph API (`phone_number_id`, digits).
    public var phoneNumberID: String
    /// The number itself, `+E164`.
    public var businessNumber: String
    /// The WhatsApp Business Account that owns the number (`waba_id`), when given.
    public var wabaID: String?
    /// The Graph access token for this number's requests (`[whatsapp] access_token` when not set).
    public var accessToken: Secret
    /// Where calls to this number ring; nil uses `[inbound]`.
    public var inbound: InboundConfig?
    /// Meta's concurrent call limit of the number (inbound and outbound together).
    public var maxCalls: Int
    /// Business-initiated connects allowed through the number; nil is unlimited.
    public var callRate: CallRate?
    /// G.711 laws in the number's `calling.audio.additional_codecs`.
    public var additionalCodecs: [Codec]
    /// The calling settings wanted at Meta: the section's own keys, the others from `[whatsapp]`.
    public var calling: CallingSettingsConfig
    /// Meta-side recording and transcription of this number's calls, with `[whatsapp]`'s filled in.
    public var metaCapture = MetaCaptureConfig()
    /// The template that asks for call permission outside a customer service
    /// window: the section's own, else `[whatsapp]`'s; nil: none.
    public var permissionTemplate: PermissionTemplateConfig?
    /// Digits a SIP caller dials before the WhatsApp number to call from this
    /// number (stripped before the dial plan); empty when none.
    public var dialPrefix: String
    /// How the number is signalled towards Meta (`signaling`, default `graph`).
    public var signaling: WhatsAppSignaling = .graph
    /// The SIP-mode settings; set exactly when `signaling` is `sip`.
    public var metaSIP: MetaSIPConfig?

    /// Meta's documented concurrent call limit per business number.
    public static let metaMaxCalls = 1000
    /// The name of the number built from `[whatsapp]`'s single-number keys.
    public static let implicitName = "default"
    /// The `number` label /metrics gives calls on a phone number id it does not
    /// serve; no number may be named so, or its counts would merge with them.
    public static let unlabelledName = "other"

    /// `businessNumber` without its `+`, as Graph writes `display_phone_number`.
    public var businessNumberDigits: String { String(businessNumber.drop { $0 == "+" }) }

    /// Creates a number with the defaults of every optional key.
    public init(name: String, phoneNumberID: String, businessNumber: String, wabaID: String? = nil,
                accessToken: Secret, inbound: InboundConfig? = nil, maxCalls: Int = metaMaxCalls,
                callRate: CallRate? = nil, additionalCodecs: [Codec] = [], calling: CallingSettingsConfig = .init(),
                dialPrefix: String = "", metaCapture: MetaCaptureConfig = .init(),
                permissionTemplate: PermissionTemplateConfig? = nil) {
        self.name = name
        self.phoneNumberID = phoneNumberID
        self.businessNumber = businessNumber
        self.wabaID = wabaID
        self.accessToken = accessToken
        self.inbound = inbound
        self.maxCalls = maxCalls
        self.callRate = callRate
        self.additionalCodecs = additionalCodecs
        self.calling = calling
        self.dialPrefix = dialPrefix
        self.metaCapture = metaCapture
        self.permissionTemplate = permissionTemplate
    }
}

/// `call_rate = N/s` or `N/min`: at most `count` business-initiated connects
/// in any `window`. Meta answers connects over its own rate with 138005; wagate
/// refuses them itself first, with 503 and Retry-After.
public struct CallRate: Sendable, Equatable, CustomStringConvertible {
    /// Connects allowed per window.
    public var count: Int
    /// The window, one second or one minute.
    public var window: Duration

    /// Creates a rate.
    public init(count: Int, window: Duration) {
        self.count = count
        self.window = window
    }

    /// Parses `N/s`, `N/sec`, `N/min` or a bare `N` (per second), N from 1 to 100000.
    public init?(_ text: String) {
        let parts = TextScanning.trimmed(text).split(separator: "/", maxSplits: 1).map { TextScanning.trimmed($0) }
        guard let first = parts.first, let count = TextScanning.decimal(first), (1...100_000).contains(count) else {
            return nil
        }
        let unit = parts.count == 2 ? TextScanning.asciiLowercased(parts[1]) : "s"
        switch unit {
        case "s", "sec", "second": self.init(count: count, window: .seconds(1))
        case "m", "min", "minute": self.init(count: count, window: .seconds(60))
        default: return nil
        }
    }

    /// `N/s` or `N/min`.
    public var description: String { window == .seconds(1) ? "\(count)/s" : "\(count)/min" }
}
