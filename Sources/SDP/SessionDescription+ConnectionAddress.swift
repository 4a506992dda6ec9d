#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a `c=` address can be used without DNS.
///
/// wagate never resolves a host name found in SDP: a lookup blocks, it would
/// run on a call path, and the name is chosen by whoever sent the SDP (a
/// stranger can point it at a slow resolver). A `c=` with a host name (RFC 8866
/// allows FQDNs) is refused with 488 and Warning 301, as most SBCs do; phones
/// and PBXs put an IP literal there in practice.
extension SessionDescription.Connection {
    /// True for an IPv4 dotted quad or an IPv6 literal that matches the
    /// address type (`IP4`/`IP6`), parsed with `inet_pton` (never DNS).
    public var isIPLiteral: Bool {
        guard address.utf8.count <= 45 else { return false }
        var storage = in6_addr()
        let family = addressType.uppercased() == "IP6" ? AF_INET6 : AF_INET
        return address.withCString { inet_pton(family, $0, &storage) } == 1
    }
}

extension SDPRejection {
    /// The rejection of a `c=` line whose address is not an IP literal.
    static func hostNameConnection(_ connection: SessionDescription.Connection) -> SDPRejection {
        let shown = String(connection.address.prefix(64).map { $0.isASCII && !$0.isNewline ? $0 : "?" })
        return SDPRejection(.hostNameConnection, "the c= address '\(shown)' is not an IP address; host names are not resolved")
    }
}
