// Recognising Meta's SIP servers calling a SIP-mode business number.
//
// Meta's headers (`X-FB-External-Domain`, `x-wa-meta-wacid`, From) can be
// forged by anyone, so they are never evidence. An INVITE is Meta's only when
// the transport and the packet's source say so: it arrived over TLS, from an
// address in the number's `sip_source_networks` (or, when that list is empty,
// one of the addresses `sip_host` resolved to when wagate started), and it is
// addressed to that number (Request-URI user, with or without `+`). This is
// how Kamailio's `permissions` module or Asterisk's `identify` sections trust
// a carrier: by address, never by what the request says about itself.

import Config

/// Matches INVITEs to the SIP-mode number whose Meta servers sent them.
/// Runs on the SIP thread (inside `SIPAccessControl`).
struct MetaPeerMatcher {
    /// One SIP-mode number as the matcher sees it.
    struct Peer: Equatable {
        /// The number's section name (the identity reported).
        var name: String
        /// The business number without `+`.
        var digits: String
        /// Where Meta's requests may come from.
        var networks: [CIDR]
        /// Meta's INVITEs must also pass digest with ``username`` and ``password``.
        var inboundAuth: Bool
        /// The digest user name.
        var username: String
        /// The digest password (empty when none is configured: nothing passes).
        var password: String
    }

    private(set) var peers: [Peer]

    /// The SIP-mode numbers of `config`; `resolved` holds, by number name, the
    /// addresses its `sip_host` resolved to at start (used when the number
    /// lists no `sip_source_networks`).
    init(config: GatewayConfig, resolved: [String: [String]]) {
        peers = config.numbers.compactMap { number in
            guard number.signaling == .sip, let sip = number.metaSIP else { return nil }
            let networks = sip.sourceNetworks.isEmpty
                ? (resolved[number.name] ?? []).compactMap { CIDR($0) }
                : sip.sourceNetworks
            return Peer(name: number.name, digits: number.businessNumberDigits, networks: networks,
                        inboundAuth: sip.inboundAuth, username: sip.username,
                        password: sip.password?.reveal() ?? "")
        }
    }

    /// The number `request` is Meta's INVITE for, or nil when it is not Meta's:
    /// not over TLS, from an address outside every SIP-mode number's networks,
    /// or addressed to no SIP-mode number from that address.
    func match(_ request: SIPRequest) -> Peer? {
        guard request.method == "INVITE", request.source.transport.lowercased() == "tls" else { return nil }
        let dialled = request.requestUser.hasPrefix("+") ? String(request.requestUser.dropFirst()) : request.requestUser
        guard !dialled.isEmpty else { return nil }
        return peers.first { peer in
            peer.digits == dialled && peer.networks.contains { $0.contains(request.source.host) }
        }
    }
}
