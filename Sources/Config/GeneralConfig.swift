// The [general] section: SIP listeners, NAT, RTP ports, authentication and
// timers. Every time value is a `Duration`; "0 = off" settings are optionals.

/// The `[general]` section.
public struct GeneralConfig: Sendable, Equatable {
    /// SIP listening sockets (default `udp:0.0.0.0:5060` and `tcp:0.0.0.0:5060`).
    public var listeners: [SIPListener]
    /// The IP address or host name advertised in Contact and SDP behind NAT;
    /// nil advertises the local address.
    public var externalAddress: String?
    /// Peers in these blocks are reached directly: `externalAddress` is not used for them.
    public var localNetworks: [CIDR]
    /// Local UDP ports for RTP; the start is even, both ends within 1024–65535.
    public var rtpPortRange: ClosedRange<Int>
    /// The digest authentication realm (RFC 3261 section 22.1).
    public var realm: String
    /// The TLS certificate and key, present whenever set (required with a tls listener).
    public var tls: TLSFiles?
    /// Peer certificate checks on the SIP TLS transport (none by default).
    public var tlsVerification = TLSVerification()
    /// The User-Agent and Server header value.
    public var userAgent: String
    /// The extension that answers and echoes audio back; nil when disabled.
    public var echoExtension: String?
    /// Digest algorithms offered in challenges, in order. MD5 alone by default:
    /// some phones (libre-based ones such as baresip) abort on a challenge whose
    /// algorithm they do not know instead of skipping it. Only responses with an
    /// offered algorithm are accepted (MD5 is refused when only SHA-256 is offered).
    public var authAlgorithms: [DigestAlgorithmName] = [.md5]
    /// How long the echo test rings (180) before it answers; zero answers at once.
    public var echoAnswerDelay: Duration = .zero
    /// How long a digest nonce stays valid.
    public var nonceLifetime: Duration
    /// Failed authentications from one source that trigger a lockout; nil never locks out.
    public var authMaxFailures: Int?
    /// The window in which failures are counted.
    public var authFailureWindow: Duration
    /// How long a source stays locked out.
    public var authLockoutTime: Duration
    /// The interval of OPTIONS keepalives to registered contacts and trunks; nil when off.
    public var optionsKeepalive: Duration?
    /// The Session-Expires interval (RFC 4028); nil when session timers are off.
    public var sessionTimer: Duration?
    /// The smallest session interval accepted (Min-SE, RFC 4028 section 4), at least 90 s.
    public var minSE: Duration
    /// The shortest registration accepted (shorter requests get 423 Interval Too Brief).
    public var registrationMinExpires: Duration
    /// The longest registration granted.
    public var registrationMaxExpires: Duration
    /// The registration granted when the REGISTER has no Expires.
    public var registrationDefaultExpires: Duration
    /// What the caller hears while a WhatsApp user is alerted.
    public var earlyMedia: EarlyMediaMode
    /// The tone `early_media = ringback` plays.
    public var ringbackTone = RingbackToneName.us
    /// The gateway-wide limit of simultaneous calls; nil means unlimited.
    public var maxCalls: Int?
    /// How long a graceful shutdown waits for calls to end.
    public var drainTime: Duration
    /// Request rate limits per source, per trunk and gateway-wide.
    public var overload = OverloadConfig()
    /// The log line format and SIP tracing.
    public var logging = LoggingConfig()

    /// The defaults used for every key the file leaves out.
    public static let defaults = GeneralConfig(
        listeners: [
            SIPListener(transport: .udp, address: SocketAddressSpec(host: "0.0.0.0", port: 5060)),
            SIPListener(transport: .tcp, address: SocketAddressSpec(host: "0.0.0.0", port: 5060)),
        ],
        externalAddress: nil, localNetworks: [], rtpPortRange: 10000...20000, realm: "wagate", tls: nil,
        userAgent: "wagate", echoExtension: "*43", nonceLifetime: .seconds(300), authMaxFailures: 5,
        authFailureWindow: .seconds(60), authLockoutTime: .seconds(300), optionsKeepalive: nil,
        sessionTimer: .seconds(1800), minSE: .seconds(90), registrationMinExpires: .seconds(60),
        registrationMaxExpires: .seconds(3600), registrationDefaultExpires: .seconds(600),
        earlyMedia: .ringing, maxCalls: callsFitting(10000...20000), drainTime: .seconds(30))

    /// Creates a `[general]` configuration.
    public init(
        listeners: [SIPListener], externalAddress: String?, localNetworks: [CIDR], rtpPortRange: ClosedRange<Int>,
        realm: String, tls: TLSFiles?, userAgent: String, echoExtension: String?, nonceLifetime: Duration,
        authMaxFailures: Int?, authFailureWindow: Duration, authLockoutTime: Duration, optionsKeepalive: Duration?,
        sessionTimer: Duration?, minSE: Duration, registrationMinExpires: Duration, registrationMaxExpires: Duration,
        registrationDefaultExpires: Duration, earlyMedia: EarlyMediaMode, maxCalls: Int?, drainTime: Duration
    ) {
        self.listeners = listeners
        self.externalAddress = externalAddress
        self.localNetworks = localNetworks
        self.rtpPortRange = rtpPortRange
        self.realm = realm
        self.tls = tls
        self.userAgent = userAgent
        self.echoExtension = echoExtension
        self.nonceLifetime = nonceLifetime
        self.authMaxFailures = authMaxFailures
        self.authFailureWindow = authFailureWindow
        self.authLockoutTime = authLockoutTime
        self.optionsKeepalive = optionsKeepalive
        self.sessionTimer = sessionTimer
        self.minSE = minSE
        self.registrationMinExpires = registrationMinExpires
        self.registrationMaxExpires = registrationMaxExpires
        self.registrationDefaultExpires = registrationDefaultExpires
        self.earlyMedia = earlyMedia
        self.maxCalls = maxCalls
        self.drainTime = drainTime
    }

    /// True when `ip` is in one of the `localNetworks`.
    public func isLocal(_ ip: String) -> Bool {
        localNetworks.contains { $0.contains(ip) }
    }
}

/// TLS certificate and private key files (PEM), checked readable at load.
public struct TLSFiles: Sendable, Equatable {
    /// The certificate (chain) file, resolved against the config file's directory.
    public var certificatePath: String
    /// The private key file, resolved against the config file's directory.
    public var privateKeyPath: String

    /// Creates a pair of paths.
    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// What a SIP caller hears while the WhatsApp user is being alerted.
public enum EarlyMediaMode: String, Sendable, Equatable, CaseIterable {
    /// Send 180 Ringing; the caller's phone plays its own ringback.
    case ringing
    /// Send 183 Session Progress with locally generated ringback audio.
    case ringback
}

/// The national ringback tone `early_media = ringback` generates.
public enum RingbackToneName: String, Sendable, Equatable, CaseIterable {
    /// North America: 440 + 480 Hz, 2 s on, 4 s off (Asterisk's default country).
    case us
    /// United Kingdom: 400 + 450 Hz, double ring.
    case uk
    /// Europe, ITU-T E.180: 425 Hz, 1 s on, 4 s off.
    case eu
}

/// A digest algorithm name as written in sip.conf.
public enum DigestAlgorithmName: String, Sendable, Equatable, CaseIterable {
    /// MD5 (RFC 2617), what every phone speaks.
    case md5
    /// SHA-256 (RFC 7616, RFC 8760).
    case sha256 = "sha-256"
}

extension GeneralConfig {
    /// The default gateway-wide `max_calls`: the calls whose media fits in
    /// `range`. Each bridged call holds two even ports of the range, one for
    /// the phone's RTP (with RTCP on the odd port above it) and one for the
    /// WhatsApp leg (RTP and RTCP muxed), so the range gives
    /// ⌊(END − START) / 2 + 1⌋ ÷ 2 calls: 2500 for the default 10000–20000.
    public static func callsFitting(_ range: ClosedRange<Int>) -> Int {
        let evenPorts = (range.upperBound - range.lowerBound) / 2 + 1
        return max(1, evenPorts / 2)
    }
}
