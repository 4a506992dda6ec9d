// The business numbers whose calling settings `wagate whatsapp status|apply`
// and the start-up check look at.

/// One business number as the settings commands see it.
public struct WhatsAppNumberTarget: Sendable, Equatable {
    /// How the operator names it on the command line.
    public var name: String
    /// `+E164`.
    public var businessNumber: String
    /// The Graph phone number id.
    public var phoneNumberID: String
    /// The WABA, for the subscribed-apps check.
    public var wabaID: String?
    /// The token that may read and change the number's settings.
    public var accessToken: Secret
    /// What sip.conf wants Meta to have.
    public var desired: CallingSettingsConfig
    /// G.711 laws wanted in `audio.additional_codecs` (always managed: none means Opus only).
    public var additionalCodecs: [Codec]

    /// Creates a target.
    public init(name: String, businessNumber: String, phoneNumberID: String, wabaID: String?, accessToken: Secret,
                desired: CallingSettingsConfig, additionalCodecs: [Codec]) {
        self.name = name
        self.businessNumber = businessNumber
        self.phoneNumberID = phoneNumberID
        self.wabaID = wabaID
        self.accessToken = accessToken
        self.desired = desired
        self.additionalCodecs = additionalCodecs
    }

    /// The name and the number, as the commands print them: `sales +15550100000`.
    public var label: String { "\(name) \(businessNumber)" }

    /// Whether `text` names this number: its name, business number (with or
    /// without `+`) or phone number id.
    public func matches(_ text: String) -> Bool {
        let digits = String(text.drop { $0 == "+" })
        return text == name || digits == String(businessNumber.drop { $0 == "+" }) || text == phoneNumberID
    }
}

extension GatewayConfig {
    /// Every business number in `numbers` order, named by its section (`default`
    /// for a single-number `[whatsapp]`). A sandbox number without `waba_id`
    /// belongs to the sandbox WABA.
    public func settingsTargets() -> [WhatsAppNumberTarget] {
        numbers.map { number in
            WhatsAppNumberTarget(
                name: number.name, businessNumber: number.businessNumber, phoneNumberID: number.phoneNumberID,
                wabaID: number.wabaID ?? (whatsapp.mode == .sandbox ? WhatsAppConfig.sandboxWABAID : nil),
                accessToken: number.accessToken, desired: number.calling, additionalCodecs: number.additionalCodecs)
        }
    }

    /// The app id for the webhook-fields check (the sandbox's own in sandbox mode).
    public var settingsAppID: String? {
        whatsapp.appID ?? (whatsapp.mode == .sandbox ? WhatsAppConfig.sandboxAppID : nil)
    }
}
