import Config
import Media

extension GeneralConfig {
    /// Where RTP sockets bind: the first SIP listener's host (a wildcard is fine).
    var rtpBindHost: String { listeners.first?.address.host ?? "0.0.0.0" }

    /// Our address toward `peer`, the one owner of that fact for SDP `c=` lines
    /// and for the host of From, To and P-Asserted-Identity: `external_address`
    /// unless the peer is in `local_networks` (as Asterisk's `localnet`), else the
    /// listener's address, else the local address the kernel routes toward the
    /// peer, else loopback. An IPv6 address comes unbracketed; URIs bracket it.
    func localAddress(toward peer: String?) -> String {
        if let externalAddress, !(peer.map(isLocal) ?? false) { return externalAddress }
        let host = rtpBindHost
        if host != "0.0.0.0" && host != "::" { return host }
        return peer.flatMap { LocalAddressResolver.localAddress(toward: $0) } ?? "127.0.0.1"
    }
}
