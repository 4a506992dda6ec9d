// Where a SIP-mode number's requests to Meta go, and which numbers are in SIP mode.

extension GatewayConfig {
    /// The numbers signalled through Meta's SIP interface, in file order.
    public var metaSIPNumbers: [NumberConfig] {
        numbers.filter { $0.signaling == .sip && $0.metaSIP != nil }
    }

    /// Meta's SIP server for `number`: the sandbox simulator's SIP listener
    /// (`simulator_sip_listen`) in sandbox mode, as the Graph URL is replaced by
    /// the simulator's, else the number's `sip_host:sip_port`; nil for a
    /// Graph-mode number. Its host is also the one whose addresses, resolved at
    /// start, are Meta's source addresses when `sip_source_networks` is empty.
    public func metaSIPAddress(of number: NumberConfig) -> SocketAddressSpec? {
        guard number.signaling == .sip, let sip = number.metaSIP else { return nil }
        if whatsapp.mode == .sandbox { return whatsapp.simulatorSIPListen }
        return SocketAddressSpec(host: sip.host, port: sip.port)
    }
}
