import Config
import Media

extension GeneralConfig {
    /// Where RTP sockets bind: the first SIP listener's host (a wildcard is fine).
    var rtpBindHost: String { listeners.first?.address.host ?? "0.0.0.0" }

    /// The address for our SDP `c=` line: the external address unless the peer is
    /// on a local network, else the listener's address, else the route toward the peer.
    func mediaAddress(toward peer: String?) -> String {
        if let externalAddress, !(peer.map(isLocal) ?? false) { return externalAddress }
        let host = rtpBindHost
        if host != "0.0.0.0" && host != "::" { return host }
        return peer.flatMap { LocalAddressResolver.localAddress(toward: $0) } ?? "127.0.0.1"
    }
}
