import Config
import Logging
import Testing
@testable import SIP

/// Meta's INVITEs are recognised by TLS, source network and business number only;
/// anything else claiming to be Meta is judged as any unknown source.
@Suite struct MetaRecognitionTests {
    let now = 1_800_000_000.0

    func invite(user: String = "+15550100002", host: String = "203.0.113.7", transport: String = "tls",
                authorization: [String: String]? = nil) -> SIPRequest {
        SIPRequest(method: "INVITE", requestURI: "sip:\(user)@gw.example.com;transport=\(transport)", requestUser: user,
                   fromUser: "+447700900123", callID: "outgoing:wacid.ABC",
                   source: SIPSource(host: host, port: 5061, transport: transport), authorization: authorization)
    }

    /// A Graph-mode default number and the SIP-mode number `wa-sip` (+15550100002, Meta from 203.0.113.0/24).
    static func config(inboundAuth: Bool = false) -> GatewayConfig {
        var config = GatewayConfig()
        config.users = [UserConfig(name: "alice", secret: Secret("a"), policy: DestinationPolicy(allow: []), maxCalls: 1)]
        var number = NumberConfig(name: "wa-sip", phoneNumberID: "333", businessNumber: "+15550100002",
                                  accessToken: Secret("token-sip"))
        number.signaling = .sip
        number.metaSIP = MetaSIPConfig(host: "meta.test", domain: "sip.example.com", username: "15550100002",
                                       password: Secret("pw"), sourceNetworks: [CIDR("203.0.113.0/24")!],
                                       inboundAuth: inboundAuth)
        config.numbers.append(number)
        return config
    }

    func access(_ config: GatewayConfig = Self.config(), resolved: [String: [String]] = [:]) -> SIPAccessControl {
        SIPAccessControl(config: config, logger: Logger(label: "test"), metaResolved: resolved)
    }

    @Test func tlsFromMetaNetworkToTheNumberIsMeta() {
        var control = access()
        #expect(control.check(invite(), trunksByAddress: true, now: now) == .identified(.meta("wa-sip")))
        #expect(control.check(invite(user: "15550100002"), trunksByAddress: true, now: now) == .identified(.meta("wa-sip")))
    }

    @Test func udpOrTCPIsNotMeta() {
        var control = access()
        #expect(control.check(invite(transport: "udp"), trunksByAddress: true, now: now) == .challenge(stale: false))
        #expect(control.check(invite(transport: "tcp"), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func foreignAddressIsNotMeta() {
        var control = access()
        #expect(control.check(invite(host: "198.51.100.9"), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func anotherNumberIsNotMeta() {
        var control = access()
        #expect(control.check(invite(user: "+15550100000"), trunksByAddress: true, now: now) == .challenge(stale: false))
        #expect(control.check(invite(user: ""), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func graphModeNumbersAreNeverMeta() {
        var config = Self.config()
        config.numbers[1].signaling = .graph
        var control = access(config)
        #expect(control.check(invite(), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func withoutSourceNetworksTheResolvedHostAddressesCount() {
        var config = Self.config()
        config.numbers[1].metaSIP?.sourceNetworks = []
        var control = access(config, resolved: ["wa-sip": ["157.240.1.1"]])
        #expect(control.check(invite(host: "157.240.1.1"), trunksByAddress: true, now: now) == .identified(.meta("wa-sip")))
        #expect(control.check(invite(), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func inboundAuthChallengesThenAcceptsTheNumbersCredentials() throws {
        var control = access(Self.config(inboundAuth: true))
        let request = invite()
        #expect(control.check(request, trunksByAddress: true, now: now) == .challenge(stale: false))
        let challenge = try #require(control.challenges(for: request, stale: false, now: now).first)
        let good = authorization(challenge, user: "15550100002", password: "pw", uri: request.requestURI)
        #expect(control.check(invite(authorization: good), trunksByAddress: true, now: now) == .identified(.meta("wa-sip")))
        let next = try #require(control.challenges(for: request, stale: false, now: now).first)
        let wrong = authorization(next, user: "15550100002", password: "nope", uri: request.requestURI)
        #expect(control.check(invite(authorization: wrong), trunksByAddress: true, now: now) == .challenge(stale: false))
        // A user's valid credentials are not Meta's.
        let third = try #require(control.challenges(for: request, stale: false, now: now).first)
        let alice = authorization(third, user: "alice", password: "a", uri: request.requestURI)
        #expect(control.check(invite(authorization: alice), trunksByAddress: true, now: now) == .challenge(stale: false))
    }

    @Test func registerIsNeverMeta() {
        var control = access()
        var request = invite()
        request.method = "REGISTER"
        #expect(control.check(request, trunksByAddress: false, now: now) == .challenge(stale: false))
    }

    /// The Proxy-Authorization parameters a client answering `challenge` sends.
    func authorization(_ challenge: String, user: String, password: String, uri: String) -> [String: String] {
        func value(_ name: String) -> String {
            guard let range = challenge.range(of: "\(name)=") else { return "" }
            let rest = challenge[range.upperBound...]
            if rest.hasPrefix("\"") { return String(rest.dropFirst().prefix { $0 != "\"" }) }
            return String(rest.prefix { $0 != "," && $0 != " " })
        }
        var parameters = ["username": user, "realm": value("realm"), "nonce": value("nonce"), "uri": uri,
                          "qop": "auth", "nc": "00000001", "cnonce": "c0ffee", "algorithm": value("algorithm")]
        let credentials = DigestCredentials(parameters: parameters.merging(["response": "0"]) { $1 })!
        parameters["response"] = DigestAuthenticator.response(credentials: credentials, method: "INVITE", password: password)
        return parameters
    }
}
