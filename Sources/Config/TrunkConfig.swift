// `type = trunk` sections: PBXs and carriers that exchange calls with wagate.

/// A `type = trunk` section: a PBX or SIP carrier.
public struct TrunkConfig: Sendable, Equatable {
    /// The section name.
    public var name: String
    /// Where wagate sends the trunk's calls: an IP address or host name.
    public var host: String
    /// The trunk's SIP port.
    public var port: Int
    /// The transport used towards the trunk.
    public var transport: SIPTransport
    /// Source address blocks that identify requests from this trunk (default:
    /// `host` as a single-address block when it is an IP literal).
    public var match: [CIDR]
    /// When set, only requests from this source port match (needed when
    /// phones share the trunk's address, as on a single test machine).
    public var matchPort: Int?
    /// Credentials the trunk uses to authenticate to wagate by digest.
    public var inboundCredentials: Credentials?
    /// Credentials wagate answers the trunk's 401/407 challenges with.
    public var remoteCredentials: Credentials?
    /// Which WhatsApp numbers callers behind this trunk may call.
    public var policy: DestinationPolicy
    /// Simultaneous calls allowed over this trunk.
    public var maxCalls: Int
    /// Digits removed from the front of the dialled number of calls from the trunk.
    public var inboundStrip: Int
    /// Text prepended (after stripping) to the dialled number of calls from the trunk.
    public var inboundPrefix: String
    /// Digits removed from the front of the caller number sent to the trunk.
    public var outboundStrip: Int
    /// Text prepended (after stripping) to the caller number sent to the trunk.
    public var outboundPrefix: String
    /// The Request-URI user of calls wagate sends to the trunk.
    public var dial: String
    /// Whether `dial` was set (always, for a trunk created with one); when not,
    /// calls to the trunk are sent to the business number the WhatsApp user
    /// called (the PBX routes by DID).
    public var dialIsSet = true
    /// The business numbers (`type = number` names) calls from this trunk may use,
    /// the first being its default; empty allows only the first configured number.
    public var numbers: [String] = []
    /// How long after a call refused for lack of permission an accepted
    /// permission still calls the caller back through this trunk (`permission_callback`); nil: never.
    public var permissionCallback: Duration?

    /// Creates a trunk.
    public init(
        name: String, host: String, port: Int = 5060, transport: SIPTransport = .udp, match: [CIDR] = [],
        matchPort: Int? = nil, inboundCredentials: Credentials? = nil, remoteCredentials: Credentials? = nil,
        policy: DestinationPolicy = DestinationPolicy(), maxCalls: Int = 30, inboundStrip: Int = 0,
        inboundPrefix: String = "", outboundStrip: Int = 0, outboundPrefix: String = "", dial: String
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.transport = transport
        self.match = match
        self.matchPort = matchPort
        self.inboundCredentials = inboundCredentials
        self.remoteCredentials = remoteCredentials
        self.policy = policy
        self.maxCalls = maxCalls
        self.inboundStrip = inboundStrip
        self.inboundPrefix = inboundPrefix
        self.outboundStrip = outboundStrip
        self.outboundPrefix = outboundPrefix
        self.dial = dial
    }

    /// True when a request from `ip` (and `port`, when known) comes from this
    /// trunk by source address. With `matchPort` set, an unknown port never matches.
    /// With `transport` given, it must be at least as strong as the trunk's own
    /// (`accepts(transport:)`): a UDP packet from a TLS trunk's address is not the trunk.
    public func matches(sourceIP ip: String, port: Int? = nil, transport: SIPTransport? = nil) -> Bool {
        if let matchPort, port != matchPort { return false }
        if let transport, !accepts(transport: transport) { return false }
        return match.contains { $0.contains(ip) }
    }

    /// Whether a request over `received` may be this trunk's. A `tls` trunk is
    /// matched only over TLS (a UDP source address can be forged, a TLS peer
    /// cannot); a `tcp` trunk over TCP or TLS; a `udp` trunk over any transport,
    /// because RFC 3261 §18.1.1 lets a UDP peer move large requests to TCP.
    public func accepts(transport received: SIPTransport) -> Bool {
        switch transport {
        case .tls: received == .tls
        case .tcp: received != .udp
        case .udp: true
        }
    }

    /// The dialled number of a call from the trunk after `inbound_strip` and `inbound_prefix`.
    public func rewriteInboundDialled(_ number: String) -> String {
        inboundPrefix + number.dropFirst(inboundStrip)
    }

    /// The caller number sent to the trunk after `outbound_strip` and `outbound_prefix`.
    public func rewriteOutboundCaller(_ number: String) -> String {
        outboundPrefix + number.dropFirst(outboundStrip)
    }
}

/// A digest username and password.
public struct Credentials: Sendable, Equatable {
    /// The digest username.
    public var username: String
    /// The digest password.
    public var secret: Secret

    /// Creates credentials.
    public init(username: String, secret: Secret) {
        self.username = username
        self.secret = secret
    }
}
