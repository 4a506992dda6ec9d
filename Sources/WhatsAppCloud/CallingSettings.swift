import Foundation

/// The `calling` object of `GET|POST /{PHONE_NUMBER_ID}/settings` (docs/whatsapp.md#settings-and-permissions).
///
/// Every field is optional: a POST sends only what is set, a GET reads what Meta has.
public struct CallingSettings: Codable, Sendable, Equatable {
    /// `ENABLED` or `DISABLED` (off by default at Meta).
    public var status: String?
    /// `DEFAULT` or `DISABLE_ALL`, whether the call icon shows in chats.
    public var callIconVisibility: String?
    /// Business hours, passed through untyped.
    public var callHours: JSONValue?
    /// `ENABLED`/`DISABLED`: ask for callback permission after a missed user call.
    public var callbackPermissionStatus: String?
    /// Meta's SIP interface; `ENABLED` turns Graph calling and `calls` webhooks off.
    public var sip: SIP?
    /// `DTLS` (default) or `SDES`.
    public var srtpKeyExchangeProtocol: String?
    /// Extra codecs Meta accepts and transcodes (e.g. `["PCMA","PCMU"]`).
    public var audio: Audio?

    /// Creates settings; unset fields are not sent.
    public init(status: String? = nil, callIconVisibility: String? = nil, callHours: JSONValue? = nil,
                callbackPermissionStatus: String? = nil, sip: SIP? = nil, srtpKeyExchangeProtocol: String? = nil,
                audio: Audio? = nil) {
        self.status = status
        self.callIconVisibility = callIconVisibility
        self.callHours = callHours
        self.callbackPermissionStatus = callbackPermissionStatus
        self.sip = sip
        self.srtpKeyExchangeProtocol = srtpKeyExchangeProtocol
        self.audio = audio
    }

    /// Whether `status` says calling is enabled (case-insensitive).
    public var isEnabled: Bool { status?.uppercased() == "ENABLED" }

    /// `calling.sip`.
    public struct SIP: Codable, Sendable, Equatable {
        /// `ENABLED` or `DISABLED`.
        public var status: String?
        /// The business's SIP servers.
        public var servers: [Server]?

        /// Creates SIP settings.
        public init(status: String?, servers: [Server]? = nil) {
            self.status = status
            self.servers = servers
        }

        /// One SIP server.
        public struct Server: Codable, Sendable, Equatable {
            /// Host name Meta sends INVITEs to.
            public var hostname: String
            /// Port (5061 by default).
            public var port: Int?

            /// Creates a server entry.
            public init(hostname: String, port: Int? = nil) {
                self.hostname = hostname
                self.port = port
            }
        }
    }

    /// `calling.audio`.
    public struct Audio: Codable, Sendable, Equatable {
        /// E.g. `["PCMA","PCMU"]`.
        public var additionalCodecs: [String]?

        /// Creates audio settings.
        public init(additionalCodecs: [String]?) { self.additionalCodecs = additionalCodecs }

        enum CodingKeys: String, CodingKey { case additionalCodecs = "additional_codecs" }
    }

    enum CodingKeys: String, CodingKey {
        case status
        case callIconVisibility = "call_icon_visibility"
        case callHours = "call_hours"
        case callbackPermissionStatus = "callback_permission_status"
        case sip
        case srtpKeyExchangeProtocol = "srtp_key_exchange_protocol"
        case audio
    }
}

/// The settings document: `{"calling":{…}}` (the body of a POST and of a GET response).
public struct PhoneNumberSettings: Codable, Sendable, Equatable {
    /// The calling settings.
    public var calling: CallingSettings?

    /// Creates a document.
    public init(calling: CallingSettings?) { self.calling = calling }
}
