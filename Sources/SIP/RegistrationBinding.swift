/// One registered contact of a user (RFC 3261 §10.3).
public struct RegistrationBinding: Sendable, Equatable, Codable {
    /// The user (sip.conf section name).
    public var user: String
    /// The Contact URI the phone registered.
    public var contact: String
    /// When the binding lapses, in seconds since 1970.
    public var expiresAt: Double
    /// Where the REGISTER came from; calls to a NATed phone are sent here.
    public var sourceHost: String
    /// Source port of the REGISTER.
    public var sourcePort: Int
    /// Transport the REGISTER used.
    public var transport: String
    /// Call-ID of the registration, to order refreshes.
    public var callID: String
    /// CSeq of the last accepted REGISTER for this Call-ID.
    public var cseq: UInt32
    /// The phone's User-Agent.
    public var userAgent: String?

    /// The URI to send requests to when the phone sits behind NAT: its source address.
    public var sourceURI: String {
        let tls = transport == "tls"
        return SIPURI(scheme: tls ? "sips" : "sip", host: sourceHost, port: sourcePort,
                      transport: tls ? nil : transport).description
    }
}
