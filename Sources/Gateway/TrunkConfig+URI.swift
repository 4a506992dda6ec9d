import Config
import SIP

extension TrunkConfig {
    /// The trunk's SIP URI (`sip:[user@]host:port[;transport=…]`, IPv6 in brackets):
    /// the Request-URI of calls to it with its `dial` user, and of its keepalive
    /// probes without one. UDP, the default transport, is left implicit.
    func sipURI(user: String? = nil) -> SIPURI {
        SIPURI(user: user, host: host, port: port, transport: transport == .udp ? nil : transport.rawValue)
    }
}
