// The [whatsapp] section: how wagate reaches Meta's Graph API, or the local
// sandbox stand-in.

public import NetTypes

/// The `[whatsapp]` section.
public struct WhatsAppConfig: Sendable, Equatable {
    /// `sandbox` (the built-in simulator, fixed credentials) or `cloud` (Meta).
    public var mode: WhatsAppMode
    /// The Graph API base URL, without a trailing slash.
    public var graphURL: String
    /// The Graph API version path segment, such as `v26.0` (see `GraphVersion`).
    public var graphVersion: String
    /// The default business number's id in the Graph API (digits): `phone_number_id`
    /// of a single-number `[whatsapp]`, or the first `type = number` section's
    /// (``GatewayConfig/numbers`` owns every number).
    public var phoneNumberID: String
    /// The default business number, `+E164` (as `phoneNumberID`).
    public var businessNumber: String
    /// `businessNumber` without its `+`, as Graph writes `display_phone_number`.
    public var businessNumberDigits: String { String(businessNumber.drop { $0 == "+" }) }
    /// The Graph API access token (a system user token in production); also
    /// the token of every number without its own.
    public var accessToken: Secret
    /// The app secret that signs webhooks (`X-Hub-Signature-256`).
    public var appSecret: Secret
    /// The token Meta echoes when verifying the webhook subscription.
    public var verifyToken: Secret
    /// The timeout of one Graph API request.
    public var requestTimeout: Duration
    /// Whether to send a call permission request message when a call is refused for lack of permission.
    public var sendPermissionRequest: Bool
    /// The body text of the call permission request message.
    public var permissionRequestText: String
    /// The approved template that asks for call permission outside a customer
    /// service window (and what `type = number` sections without their own inherit); nil: none.
    public var permissionTemplate: PermissionTemplateConfig?
    /// The DTLS role wagate takes on the WebRTC leg of business-initiated calls.
    public var dtlsRole: DTLSRole
    /// G.711 laws the number has in Meta's `calling.audio.additional_codecs`
    /// (`pcmu`, `pcma`): offered to Meta beside Opus, with the SIP leg's own law
    /// first, so a G.711 phone talks to WhatsApp without Opus transcoding.
    /// Empty (the default): Opus only, as every number starts.
    public var additionalCodecs: [Codec] = []
    /// Sandbox mode: where the built-in Meta simulator listens (Graph API and control API).
    public var simulatorListen = SocketAddressSpec(host: "127.0.0.1", port: 8081)
    /// Sandbox mode: what the simulated WhatsApp users send: `tone:HZ` or `echo`.
    public var simulatorMedia = SimulatorMedia.tone(hertz: 440)
    /// Sandbox mode: where the simulator's SIP-mode Meta listens (TLS), and where
    /// SIP-mode numbers send their INVITEs instead of `sip_host:sip_port`.
    public var simulatorSIPListen = SocketAddressSpec(host: "127.0.0.1", port: 15061)
    /// Sandbox mode: the certificate and key the simulator's SIP-mode Meta presents
    /// (`simulator_sip_certificate`, `simulator_sip_private_key`); nil: it makes its own.
    public var simulatorSIPIdentity: TLSFiles?
    /// Setup budget, circuit breaker and terminate retries.
    public var resilience = GraphResilienceConfig.defaults
    /// Wanted calling settings at Meta: those of the implicit number, and what
    /// every `type = number` section inherits for the keys it does not set.
    public var calling = CallingSettingsConfig()
    /// Meta-side recording and transcription every number inherits (MetaCaptureConfig.swift).
    public var metaCapture = MetaCaptureConfig()
    /// `waba_id`: the WhatsApp Business Account of the implicit number, and of
    /// every `type = number` section without its own (subscribed-apps check).
    public var wabaID: String?
    /// `app_id`: the Meta app, for the webhook-fields check (asked with `app_id|app_secret`).
    public var appID: String?

    /// The sandbox business number.
    public static let sandboxBusinessNumber = "+15550100000"
    /// The sandbox phone number id.
    public static let sandboxPhoneNumberID = "100000000000001"
    /// The sandbox access token, shared with the simulator.
    public static let sandboxAccessToken = "sandbox-access-token"
    /// The sandbox app secret, shared with the simulator.
    public static let sandboxAppSecret = "sandbox-app-secret"
    /// The sandbox WhatsApp Business Account id, shared with the simulator.
    public static let sandboxWABAID = "200000000000002"
    /// The sandbox Meta app id, shared with the simulator.
    public static let sandboxAppID = "300000000000003"
    /// The sandbox webhook verify token, shared with the simulator.
    public static let sandboxVerifyToken = "sandbox-verify-token"
    /// The default permission request text.
    public static let defaultPermissionRequestText = "We would like to call you. Tap Allow to accept calls from us."

    /// Sandbox mode with every default.
    public static let defaults = WhatsAppConfig(
        mode: .sandbox, graphURL: "https://graph.facebook.com", graphVersion: GraphVersion.current.description,
        phoneNumberID: sandboxPhoneNumberID, businessNumber: sandboxBusinessNumber,
        accessToken: Secret(sandboxAccessToken), appSecret: Secret(sandboxAppSecret),
        verifyToken: Secret(sandboxVerifyToken), requestTimeout: .seconds(10), sendPermissionRequest: false,
        permissionRequestText: defaultPermissionRequestText, dtlsRole: .client)

    /// Creates a `[whatsapp]` configuration.
    public init(
        mode: WhatsAppMode, graphURL: String, graphVersion: String, phoneNumberID: String, businessNumber: String,
        accessToken: Secret, appSecret: Secret, verifyToken: Secret, requestTimeout: Duration,
        sendPermissionRequest: Bool, permissionRequestText: String, dtlsRole: DTLSRole
    ) {
        self.mode = mode
        self.graphURL = graphURL
        self.graphVersion = graphVersion
        self.phoneNumberID = phoneNumberID
        self.businessNumber = businessNumber
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.requestTimeout = requestTimeout
        self.sendPermissionRequest = sendPermissionRequest
        self.permissionRequestText = permissionRequestText
        self.dtlsRole = dtlsRole
    }
}

/// Where WhatsApp calls go.
public enum WhatsAppMode: String, Sendable, Equatable, CaseIterable {
    /// The local simulator with fixed credentials; nothing leaves the machine.
    case sandbox
    /// Meta's WhatsApp Cloud API; credentials are required.
    case cloud
}
