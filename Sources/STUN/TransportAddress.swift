public import NetTypes

/// An IP address and UDP port (RFC 8489 §3 "transport address").
///
/// The currency of the STUN and ICE modules: XOR-MAPPED-ADDRESS decodes to it,
/// ICE actions name it. A driver converts from its socket type at the edge
/// (for SwiftNIO: `TransportAddress(socketAddress.ipAddress!, port: socketAddress.port!)`).
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address.
    public var ip: IPAddress
    /// The port.
    public var port: UInt16

    /// Creates an address.
    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses an IP literal and takes a port; nil if the literal is not an IP
    /// address or the port is outside 0–65535.
    public init?(_ host: some StringProtocol, port: Int) {
        guard let ip = IPAddress(host), let port = UInt16(exactly: port) else { return nil }
        self.init(ip: ip, port: port)
    }

    /// The address as text, without the port.
    public var host: String {
        ip.description
    }

    /// True for IPv6.
    public var isIPv6: Bool {
        ip.isIPv6
    }

    /// `192.0.2.1:3478` or `[2001:db8::1]:3478`.
    public var description: String {
        ip.isIPv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
