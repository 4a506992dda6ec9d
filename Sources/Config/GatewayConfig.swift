// The whole validated configuration, and lookups over its named entities.

/// Everything wagate is configured with, validated: the result of
/// ``ConfigLoader``. Nothing else in the program reads the file or the environment.
public struct GatewayConfig: Sendable, Equatable {
    /// `[general]`: SIP listeners, NAT, RTP ports, authentication, timers.
    public var general: GeneralConfig
    /// `[http]`: the webhook server.
    public var http: HTTPConfig
    /// `[whatsapp]`: Graph API or sandbox settings.
    public var whatsapp: WhatsAppConfig
    /// `[media]`: codecs and media handling.
    public var media: MediaConfig
    /// `[storage]`: the call record database.
    public var storage: StorageConfig
    /// `[cluster]`: this node among several sharing `[storage] postgres`; nil for a single node.
    public var cluster: ClusterConfig?
    /// `[dialplan]`: number normalisation.
    public var dialplan: DialPlan
    /// `[inbound]`: routing of calls from WhatsApp users.
    public var inbound: InboundConfig
    /// `type = user` sections, in file order.
    public var users: [UserConfig]
    /// `type = trunk` sections, in file order.
    public var trunks: [TrunkConfig]
    /// `type = ringgroup` sections, in file order.
    public var ringGroups: [RingGroupConfig]
    /// The WhatsApp business numbers, in file order; the first is the default.
    /// A configuration without `type = number` sections has one, built from `[whatsapp]`.
    public var numbers: [NumberConfig]
    /// `[onboarding]`: the Embedded Signup listener; nil when the section is absent.
    public var onboarding: OnboardingConfig?
    /// `[admin]`: the admin API listener; nil when the section is absent.
    public var admin: AdminConfig?
    /// `[webphone]`: browser agents on the `[http]` listener.
    public var webphone = WebPhoneConfig.defaults
    /// `[transfer]`: call transfer (REFER, browser agents' `transfer`).
    public var transfer: TransferConfig = .defaults
    /// The file this came from; nil for built-in defaults.
    public var sourceFile: String?

    /// Creates a configuration. Values are taken as given: only
    /// ``ConfigLoader`` validates.
    public init(
        general: GeneralConfig = .defaults, http: HTTPConfig = .defaults, whatsapp: WhatsAppConfig = .defaults,
        media: MediaConfig = .defaults, storage: StorageConfig = .defaults, dialplan: DialPlan = DialPlan(),
        inbound: InboundConfig = .defaults, users: [UserConfig] = [], trunks: [TrunkConfig] = [],
        ringGroups: [RingGroupConfig] = [], numbers: [NumberConfig]? = nil, sourceFile: String? = nil
    ) {
        self.general = general
        self.http = http
        self.whatsapp = whatsapp
        self.media = media
        self.storage = storage
        self.dialplan = dialplan
        self.inbound = inbound
        self.users = users
        self.trunks = trunks
        self.ringGroups = ringGroups
        self.numbers = numbers ?? [NumberConfig(
            name: NumberConfig.implicitName, phoneNumberID: whatsapp.phoneNumberID,
            businessNumber: whatsapp.businessNumber, wabaID: whatsapp.wabaID, accessToken: whatsapp.accessToken,
            additionalCodecs: whatsapp.additionalCodecs, calling: whatsapp.calling)]
        self.sourceFile = sourceFile
    }

    /// The user called `name` (section names are case-sensitive).
    public func user(named name: String) -> UserConfig? {
        users.first { $0.name == name }
    }

    /// The trunk called `name`.
    public func trunk(named name: String) -> TrunkConfig? {
        trunks.first { $0.name == name }
    }

    /// The ring group called `name`.
    public func ringGroup(named name: String) -> RingGroupConfig? {
        ringGroups.first { $0.name == name }
    }

    /// The number called `name`.
    public func number(named name: String) -> NumberConfig? {
        numbers.first { $0.name == name }
    }

    /// The number whose Graph id is `phoneNumberID`.
    public func number(withID phoneNumberID: String) -> NumberConfig? {
        numbers.first { $0.phoneNumberID == phoneNumberID }
    }

    /// The number whose `business_number` is `e164`.
    public func number(withBusinessNumber e164: String) -> NumberConfig? {
        numbers.first { $0.businessNumber == e164 }
    }

    /// The inbound plan of calls to `number`: its own, else `[inbound]`.
    public func inboundPlan(of number: NumberConfig?) -> InboundConfig {
        number?.inbound ?? inbound
    }

    /// The first trunk (in file order) whose `match` blocks contain `ip`, and
    /// whose `match_port`, if set, equals `port`.
    public func trunk(matchingSource ip: String, port: Int? = nil, transport: SIPTransport? = nil) -> TrunkConfig? {
        trunks.first { $0.matches(sourceIP: ip, port: port, transport: transport) }
    }
}
