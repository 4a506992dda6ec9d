// Host and port pairs as written in the configuration: `HOST:PORT`, with IPv6
// literals in brackets (`[::1]:5060`, RFC 3986 section 3.2.2).

public import NetTypes

/// A host (IP literal or name) and a port, as configured.
public struct SocketAddressSpec: Sendable, Hashable, CustomStringConvertible {
    /// The host: an IP address (IPv6 without brackets) or a DNS name.
    public var host: String
    /// The port, 1–65535.
    public var port: Int

    /// Creates an address spec.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The parsed IP address when `host` is an IP literal.
    public var ipAddress: IPAddress? { IPAddress(host) }

    /// `HOST:PORT`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`. With `requireIP` the host must be an
    /// IP literal (listening sockets bind to addresses, not names).
    static func parse(_ text: String, requireIP: Bool) -> SocketAddressSpec? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), IPAddress(host).map({ !$0.isIPv4 }) == true else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
            let hostString = String(host)
            guard requireIP ? IPAddress(hostString) != nil : Hostname.isValidHost(hostString) else { return nil }
        }
        guard let port = TextScanning.decimal(portText), (1...65535).contains(port) else { return nil }
        return SocketAddressSpec(host: String(host), port: port)
    }
}

/// A SIP transport protocol.
public enum SIPTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SIP over UDP (RFC 3261 section 18).
    case udp
    /// SIP over TCP.
    case tcp
    /// SIP over TLS (RFC 3261 section 26.2).
    case tls

    /// The lowercase name, as written in the configuration.
    public var description: String { rawValue }

    /// True for the transports that use a TCP socket (tcp and tls).
    public var isStreamBased: Bool { self != .udp }
}

/// One SIP listening socket: `TRANSPORT:HOST:PORT`.
public struct SIPListener: Sendable, Hashable, CustomStringConvertible {
    /// The transport protocol.
    public var transport: SIPTransport
    /// The local IP address and port to bind.
    public var address: SocketAddressSpec

    /// Creates a listener.
    public init(transport: SIPTransport, address: SocketAddressSpec) {
        self.transport = transport
        self.address = address
    }

    /// `TRANSPORT:HOST:PORT`, for example `udp:0.0.0.0:5060` or `tls:[::]:5061`.
    public var description: String { "\(transport):\(address)" }

    /// Parses `TRANSPORT:HOST:PORT`; the host must be an IP literal.
    static func parse(_ text: String) -> SIPListener? {
        guard let colon = text.firstIndex(of: ":"),
              let transport = SIPTransport(rawValue: TextScanning.asciiLowercased(String(text[..<colon]))),
              let address = SocketAddressSpec.parse(String(text[text.index(after: colon)...]), requireIP: true)
        else { return nil }
        return SIPListener(transport: transport, address: address)
    }
}
