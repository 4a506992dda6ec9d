// Test support: a configuration with one Graph-mode and one SIP-mode business
// number, shared by the SIP-layer and composition tests of SIP mode. Not shipped.

public import Config

extension GatewayConfig {
    /// `.test()` with the SIP-mode number `wa-sip` (id 333, +15550100002) first, so
    /// the default for outbound calls and ringing `[inbound]` (alice): Meta at
    /// `meta.test:5061`, known as `sip.example.com`, digest user 15550100002 with
    /// password `pw`, Meta's requests from 203.0.113.0/24; `inboundAuth` as given.
    public static func metaSIP(inboundAuth: Bool = false) -> GatewayConfig {
        var config = GatewayConfig.test()
        // Cloud mode: the INVITE goes to the number's own sip_host, not to a sandbox simulator.
        config.whatsapp.mode = .cloud
        var number = NumberConfig(name: "wa-sip", phoneNumberID: "333", businessNumber: "+15550100002",
                                  accessToken: Secret("token-sip"))
        number.signaling = .sip
        number.metaSIP = MetaSIPConfig(host: "meta.test", domain: "sip.example.com", username: "15550100002",
                                       password: Secret("pw"), sourceNetworks: [CIDR("203.0.113.0/24")!],
                                       inboundAuth: inboundAuth)
        config.numbers.insert(number, at: 0)
        return config
    }
}
