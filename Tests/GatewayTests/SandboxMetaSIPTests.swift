import Config
import Simulator
import TestSupport
import Testing
@testable import Gateway

/// Sandbox mode: the simulator plays Meta's SIP servers for the numbers in SIP
/// mode, with their domain, password and SRTP, and calls the gateway's TLS listener.
@Suite struct SandboxMetaSIPTests {
    @Test func sipNumbersTurnTheSimulatorsSIPSideOnWithTheirFacts() {
        var config = GatewayConfig.twoNumbers
        #expect(!WhatsAppSide.simulatedMetaSIP(config).enabled)
        config.numbers[1].signaling = .sip
        config.numbers[1].metaSIP = MetaSIPConfig(domain: "sip.example.com", username: "15550100001",
                                                  password: Secret("pw"), srtp: .sdes)
        config.general.listeners.append(SIPListener(transport: .tls, address: SocketAddressSpec(host: "0.0.0.0", port: 5071)))
        let settings = WhatsAppSide.simulatedMetaSIP(config)
        #expect(settings.enabled)
        #expect(settings.gatewayHost == "127.0.0.1" && settings.gatewayPort == 5071)
        #expect(settings.host == "127.0.0.1" && settings.port == 15061)
        let (mode, facts) = WhatsAppSide.simulatedSIP(of: config.numbers[1])
        #expect(mode == .sip)
        #expect(facts == SimulatedNumberSIP(domain: "sip.example.com", password: "pw", srtp: .sdes))
        #expect(WhatsAppSide.simulatedSIP(of: config.numbers[0]).0 == .graph)
    }

    @Test func aSIPNumberWithoutPasswordGetsOneMadeUp() throws {
        var number = GatewayConfig.twoNumbers.numbers[0]
        number.signaling = .sip
        number.metaSIP = MetaSIPConfig(domain: "sip.example.com", username: "15550100000")
        let facts = try #require(WhatsAppSide.simulatedSIP(of: number).1)
        #expect(facts.password.count >= 6 && facts.srtp == .dtls)
    }
}
