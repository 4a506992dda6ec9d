import Foundation

/// The `calling` object of `GET|POST /{PHONE_NUMBER_ID}/settings` (docs/whatsapp.md#settings-and-permissions).
///
/// Every field is optional: a POST sends only what is set, a GET reads what Meta has.
/// Reading is lenient: a field of an unexpected shape reads as absent instead of
/// failing the whole document. `restrictions` is only ever read (Meta sets it).
public struct CallingSettings: Codable, Sendable, Equatable {
    /// `ENABLED` or `DISABLED` (off by default at Meta).
    public var status: String?
    /// `DEFAULT` or `DISABLE_ALL`, whether the call icon shows in chats.
    public var callIconVisibility: String?
    /// `call_icons.restrict_to_user_countries`: the icon shows only to users of these countries.
    public var callIcons: CallIcons?
    /// Business hours, time zone and holidays (`call_hours`).
    public var callHours: CallHours?
    /// `ENABLED`/`DISABLED`: ask for callback permission after a missed user call.
    public var callbackPermissionStatus: String?
    /// Meta's SIP interface; `ENABLED` turns Graph calling and `calls` webhooks off.
    public var sip: SIP?
    /// `DTLS` (default) or `SDES`.
    public var srtpKeyExchangeProtocol: String?
    /// Extra codecs Meta accepts and transcodes (e.g. `["PCMA","PCMU"]`).
    public var audio: Audio?
    /// Restrictions Meta placed on the number's calling (read only).
    public var restrictions: CallingRestrictions?

    /// Creates settings; unset fields are not sent.
    public init(status: String? = nil, callIconVisibility: String? = nil, callIcons: CallIcons? = nil,
                callHours: CallHours? = nil, callbackPermissionStatus: String? = nil, sip: SIP? = nil,
                srtpKeyExchangeProtocol: String? = nil, audio: Audio? = nil, restrictions: CallingRestrictions? = nil) {
        self.status = status
        self.callIconVisibility = callIconVisibility
        self.callIcons = callIcons
        self.callHours = callHours
        self.callbackPermissionStatus = callbackPermissionStatus
        self.sip = sip
        self.srtpKeyExchangeProtocol = srtpKeyExchangeProtocol
        self.audio = audio
        self.restrictions = restrictions
    }

    /// Reads leniently: each field that is missing or of the wrong shape is nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = container.lenientString(.status)
        callIconVisibility = container.lenientString(.callIconVisibility)
        callIcons = container.lenient(CallIcons.self, .callIcons)
        callHours = container.lenient(CallHours.self, .callHours)
        callbackPermissionStatus = container.lenientString(.callbackPermissionStatus)
        sip = container.lenient(SIP.self, .sip)
        srtpKeyExchangeProtocol = container.lenientString(.srtpKeyExchangeProtocol)
        audio = container.lenient(Audio.self, .audio)
        restrictions = container.lenient(CallingRestrictions.self, .restrictions)
    }

    /// Whether `status` says calling is enabled (case-insensitive).
    public var isEnabled: Bool { status?.uppercased() == "ENABLED" }

    /// Whether Meta's SIP interface is on (Graph calling then answers 131055).
    public var isSIPEnabled: Bool { sip?.status?.uppercased() == "ENABLED" }

    /// `calling.call_icons`.
    public struct CallIcons: Codable, Sendable, Equatable {
        /// ISO 3166 alpha-2 country codes, e.g. `["US","BR"]`.
        public var restrictToUserCountries: [String]?

        /// Creates the object.
        public init(restrictToUserCountries: [String]?) { self.restrictToUserCountries = restrictToUserCountries }

        /// Reads leniently (non-string items are skipped).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            restrictToUserCountries = container.contains(.restrictToUserCountries)
                ? container.lenientArray(String.self, .restrictToUserCountries) : nil
        }

        enum CodingKeys: String, CodingKey { case restrictToUserCountries = "restrict_to_user_countries" }
    }

    /// `calling.audio`.
    public struct Audio: Codable, Sendable, Equatable {
        /// E.g. `["PCMA","PCMU"]`.
        public var additionalCodecs: [String]?

        /// Creates audio settings.
        public init(additionalCodecs: [String]?) { self.additionalCodecs = additionalCodecs }

        /// Reads leniently (non-string items are skipped).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            additionalCodecs = container.contains(.additionalCodecs)
                ? container.lenientArray(String.self, .additionalCodecs) : nil
        }

        enum CodingKeys: String, CodingKey { case additionalCodecs = "additional_codecs" }
    }

    enum CodingKeys: String, CodingKey {
        case status
        case callIconVisibility = "call_icon_visibility"
        case callIcons = "call_icons"
        case callHours = "call_hours"
        case callbackPermissionStatus = "callback_permission_status"
        case sip
        case srtpKeyExchangeProtocol = "srtp_key_exchange_protocol"
        case audio
        case restrictions
    }
}

/// The settings document: `{"calling":{…}}` (the body of a POST and of a GET response).
public struct PhoneNumberSettings: Codable, Sendable, Equatable {
    /// The calling settings.
    public var calling: CallingSettings?

    /// Creates a document.
    public init(calling: CallingSettings?) { self.calling = calling }

    /// Reads leniently: a `calling` of the wrong shape reads as nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        calling = container.lenient(CallingSettings.self, .calling)
    }

    enum CodingKeys: String, CodingKey { case calling }
}
