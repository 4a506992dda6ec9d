/// Identifies one nua handle (one dialog or one transaction) across threads.
/// Allocated by the SIP stack; never reused within a process.
public struct SIPHandle: Hashable, Sendable, CustomStringConvertible {
    /// The raw identifier.
    public let rawValue: UInt64
    /// Wraps a raw identifier.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// `h` and the number, for logs.
    public var description: String { "h\(rawValue)" }
}

/// Where a request came from: the packet's source, not what its headers claim.
public struct SIPSource: Sendable, Equatable, CustomStringConvertible {
    /// Numeric IP address.
    public var host: String
    /// UDP/TCP port.
    public var port: Int
    /// `udp`, `tcp` or `tls`.
    public var transport: String
    /// Creates a source.
    public init(host: String, port: Int, transport: String) {
        self.host = host
        self.port = port
        self.transport = transport
    }
    /// `transport:host:port`, for logs.
    public var description: String { "\(transport):\(host):\(port)" }
}

/// Who an authenticated request is from.
public enum SIPIdentity: Sendable, Equatable {
    /// A user (section name in sip.conf) that passed digest authentication.
    case user(String)
    /// A trunk recognised by source address or digest.
    case trunk(String)
    /// Meta's SIP servers calling the SIP-mode business number of this name
    /// (recognised by TLS, source network and Request-URI: `MetaPeerMatcher`).
    case meta(String)
}

/// The parts of an incoming request the gateway needs, copied out of sofia's
/// `sip_t` on the SIP thread (which is the only place `sip_t` is valid).
public struct SIPRequest: Sendable, Equatable {
    /// Method name, e.g. INVITE.
    public var method: String
    /// The Request-URI as text.
    public var requestURI: String
    /// The user part of the Request-URI (the dialled number), unescaped.
    public var requestUser: String
    /// From header value (display name and URI).
    public var from: String
    /// The user part of the From URI.
    public var fromUser: String
    /// From display name, if any.
    public var fromDisplay: String?
    /// To header value.
    public var to: String
    /// The user part of the To URI.
    public var toUser: String
    /// Call-ID.
    public var callID: String
    /// CSeq number.
    public var cseq: UInt32
    /// Contact header values (URI with parameters), in order.
    public var contacts: [SIPContact]
    /// Expires header, if present.
    public var expires: Int?
    /// User-Agent, if present.
    public var userAgent: String?
    /// Content-Type, if there is a body.
    public var contentType: String?
    /// The body (SDP for INVITE), raw bytes.
    public var body: [UInt8]
    /// The packet's source address.
    public var source: SIPSource
    /// Digest parameters from Authorization (REGISTER) or Proxy-Authorization (others).
    public var authorization: [String: String]?
    /// The `P-Preferred-Identity` header value (RFC 3325), if any.
    public var preferredIdentity: String?
    /// The `P-Asserted-Identity` header value (RFC 3325), if any.
    public var assertedIdentity: String?
    /// Meta's call id in `x-wa-meta-wacid` (SIP-mode INVITEs from Meta), unchecked text.
    public var metaWACID: String?
    /// True when the request lists `100rel` in Supported or Require (RFC 3262).
    public var offers100rel = false

    /// Creates a request; the stack fills every field from sofia's `sip_t`.
    public init(method: String, requestURI: String, requestUser: String, from: String = "", fromUser: String = "",
                fromDisplay: String? = nil, to: String = "", toUser: String = "", callID: String, cseq: UInt32 = 1,
                contacts: [SIPContact] = [], expires: Int? = nil, userAgent: String? = nil,
                contentType: String? = nil, body: [UInt8] = [], source: SIPSource,
                authorization: [String: String]? = nil) {
        self.method = method
        self.requestURI = requestURI
        self.requestUser = requestUser
        self.from = from
        self.fromUser = fromUser
        self.fromDisplay = fromDisplay
        self.to = to
        self.toUser = toUser
        self.callID = callID
        self.cseq = cseq
        self.contacts = contacts
        self.expires = expires
        self.userAgent = userAgent
        self.contentType = contentType
        self.body = body
        self.source = source
        self.authorization = authorization
    }
}

/// One Contact of a request.
public struct SIPContact: Sendable, Equatable {
    /// The URI, e.g. `sip:alice@192.0.2.7:5062;transport=udp`.
    public var uri: String
    /// The `expires` parameter, if present.
    public var expires: Int?
    /// True for `Contact: *`.
    public var isWildcard: Bool
}

extension SIPContact {
    /// True when the URI's scheme is `sip` or `sips` (case-insensitive, RFC 3261 §19.1.1).
    var hasSIPScheme: Bool {
        let scheme = uri.prefix { $0 != ":" }.lowercased()
        return uri.contains(":") && (scheme == "sip" || scheme == "sips")
    }
}
