import Config
import Testing
@testable import WebAgents

@Suite struct AgentUpgradePolicyTests {
    static func policy(tls: Bool = false) -> AgentUpgradePolicy {
        var webphone = WebPhoneConfig.defaults
        webphone.allowedOrigins = ["https://agents.example.com"]
        webphone.trustedProxies = [CIDR("10.0.0.0/8")!]
        return AgentUpgradePolicy(webphone: webphone, listenerTLS: tls)
    }

    @Test func subprotocolRequired() {
        #expect(Self.policy().refusal(origin: nil, host: "gw:8080", protocols: []) != nil)
        #expect(Self.policy().refusal(origin: nil, host: "gw:8080", protocols: ["wagate.agent.v1"]) == nil)
    }

    @Test func originMustBeOwnOrAllowed() {
        let protocols = ["wagate.agent.v1"]
        #expect(Self.policy().refusal(origin: "http://gw:8080", host: "gw:8080", protocols: protocols) == nil)
        #expect(Self.policy().refusal(origin: "https://agents.example.com", host: "gw:8080", protocols: protocols) == nil)
        #expect(Self.policy().refusal(origin: "https://evil.example", host: "gw:8080", protocols: protocols) != nil)
    }

    @Test func credentialsOnlyOverTLSLoopbackOrTrustedProxy() {
        #expect(Self.policy().allowsCredentials(peer: "127.0.0.1", forwardedProto: nil))
        #expect(Self.policy().allowsCredentials(peer: "::1", forwardedProto: nil))
        #expect(!Self.policy().allowsCredentials(peer: "192.0.2.7", forwardedProto: nil))
        #expect(!Self.policy().allowsCredentials(peer: "192.0.2.7", forwardedProto: "https"))
        #expect(Self.policy().allowsCredentials(peer: "10.1.2.3", forwardedProto: "https"))
        #expect(!Self.policy().allowsCredentials(peer: "10.1.2.3", forwardedProto: "http"))
        #expect(Self.policy(tls: true).allowsCredentials(peer: "192.0.2.7", forwardedProto: nil))
    }
}
