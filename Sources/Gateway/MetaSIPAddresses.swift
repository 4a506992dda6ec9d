import Config
import Glibc
import Logging

/// The addresses Meta's INVITEs may come from for SIP-mode numbers without
/// `sip_source_networks`: what each number's `sip_host` resolves to, looked up
/// once at start (a DNS change needs a restart, as for trunk hosts; listing
/// Meta's networks in `sip_source_networks` avoids depending on DNS at all).
enum MetaSIPAddresses {
    /// By number name, the numeric addresses of its `sip_host` (empty when it does not resolve).
    static func resolve(_ config: GatewayConfig, logger: Logger) -> [String: [String]] {
        var resolved: [String: [String]] = [:]
        for number in config.numbers where number.signaling == .sip {
            guard let sip = number.metaSIP, sip.sourceNetworks.isEmpty,
                  let server = server(of: number, in: config) else { continue }
            let addresses = lookup(server.host)
            resolved[number.name] = addresses
            if addresses.isEmpty {
                logger.warning("sip_host does not resolve: no INVITE will be taken as Meta's for this number",
                               metadata: ["number": "\(number.name)", "sip_host": "\(server.host)"])
            } else {
                logger.info("Meta's SIP source addresses", metadata: [
                    "number": "\(number.name)", "sip_host": "\(server.host)", "addresses": "\(addresses.joined(separator: ","))",
                ])
            }
        }
        return resolved
    }

    /// Where `number`'s Meta SIP servers are: its `sip_host` and `sip_port`, or
    /// the simulator's SIP listener in sandbox mode; nil for a Graph-mode number.
    /// The one place both the INVITE's Request-URI and the source addresses take
    /// the server from.
    static func server(of number: NumberConfig, in config: GatewayConfig) -> (host: String, port: Int)? {
        config.metaSIPAddress(of: number).map { ($0.host, $0.port) }
    }

    /// The numeric IPv4 and IPv6 addresses of `host` (each once), by getaddrinfo.
    static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry?.pointee {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = info.ai_addr,
               getnameinfo(address, info.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            entry = info.ai_next
        }
        return addresses
    }
}
