import Config

/// The URLs nua binds, derived from `[general] listen` and `external_address`.
///
/// Sofia binds one `sip:` URL (UDP and TCP on the same host and port unless a
/// `transport=` parameter narrows it) and one `sips:` URL for TLS. So wagate
/// accepts at most one UDP/TCP address (both transports may share it) plus one
/// TLS address, and says so at start when the configuration asks for more.
/// With `external_address`, the URL's host is the public address and `maddr`
/// the local one: sofia binds `maddr` and advertises the host in Via/Contact.
struct SofiaURLs: Equatable {
    var primary: String?
    var tls: String?

    init(config: GatewayConfig) throws(SIPError) {
        let listeners = config.general.listeners
        let plain = listeners.filter { $0.transport != .tls }
        let secure = listeners.filter { $0.transport == .tls }
        let external = config.general.externalAddress
        if let first = plain.first {
            guard plain.allSatisfy({ $0.address == first.address }) else {
                throw .startFailed("UDP and TCP listeners must share one host:port (got \(plain.map(\.description).joined(separator: ", ")))")
            }
            let transports = Set(plain.map(\.transport))
            let suffix = transports.count == 1 ? ";transport=\(first.transport.rawValue)" : ""
            primary = Self.url("sip", first.address, external: external) + suffix
        }
        if secure.count > 1 { throw .startFailed("only one TLS listener is supported") }
        if let tlsListener = secure.first {
            tls = Self.url("sips", tlsListener.address, external: external)
        }
        if primary == nil && tls == nil { throw .startFailed("no SIP listener configured") }
    }

    private static func url(_ scheme: String, _ address: SocketAddressSpec, external: String?) -> String {
        let host = SIPURI.hostPart(address.host)
        guard let external, !external.isEmpty else { return "\(scheme):\(host):\(address.port)" }
        return "\(scheme):\(SIPURI.hostPart(external)):\(address.port);maddr=\(host)"
    }
}
