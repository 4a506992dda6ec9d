// A business number the simulator serves: Meta holds several per app, in one or
// more WhatsApp Business Accounts, each reached with its own access token.

/// One simulated business phone number.
public struct SimulatedNumber: Sendable, Equatable {
    /// The number's Graph id (`/{version}/{id}/calls`, `metadata.phone_number_id`).
    public var phoneNumberID: String
    /// The display number, digits (`metadata.display_phone_number`, `from`/`to` in webhooks).
    public var displayPhoneNumber: String
    /// The WhatsApp Business Account that owns it (`entry[].id`).
    public var wabaID: String
    /// The token its Graph requests must carry as `Bearer`; nil accepts any.
    public var accessToken: String?
    /// Its `calling.audio.additional_codecs` at start (`PCMU`, `PCMA`); nil takes
    /// ``MetaSimulatorSettings/additionalCodecs``.
    public var additionalCodecs: [String]?
    /// How the number is signalled at start (the control API can flip it).
    public var signaling: SimulatedSignaling = .graph
    /// Its SIP-mode facts (domain, password, SRTP); nil: none configured.
    public var sip: SimulatedNumberSIP?

    /// Creates a number.
    public init(phoneNumberID: String, displayPhoneNumber: String, wabaID: String, accessToken: String? = nil,
                additionalCodecs: [String]? = nil) {
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
        self.wabaID = wabaID
        self.accessToken = accessToken
        self.additionalCodecs = additionalCodecs
    }

    /// Whether `text` names this number: its id, its digits or `+` and its digits.
    func isNamed(by text: String) -> Bool {
        text == phoneNumberID || text.filter(\.isNumber) == displayPhoneNumber
    }
}

extension MetaSimulatorSettings {
    /// Every number served: the primary one (``phoneNumberID``, ``displayPhoneNumber``,
    /// ``wabaID``, ``accessToken``) first, then ``additionalNumbers``.
    public var numbers: [SimulatedNumber] {
        var primary = SimulatedNumber(phoneNumberID: phoneNumberID, displayPhoneNumber: displayPhoneNumber,
                                      wabaID: wabaID, accessToken: accessToken)
        primary.signaling = primarySignaling
        primary.sip = primarySIP
        return [primary] + additionalNumbers
    }

    /// The number with Graph id `id`.
    func number(withID id: String) -> SimulatedNumber? {
        numbers.first { $0.phoneNumberID == id }
    }
}
