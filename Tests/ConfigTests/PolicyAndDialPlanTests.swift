// Destination policies, inbound routing, trunk rewriting and the dial plan.

import Testing
@testable import Config

@Suite("destination policy and dial plan")
struct PolicyAndDialPlanTests {
    @Test("number patterns")
    func patterns() {
        #expect(NumberPattern("+*") == .prefix("+"))
        #expect(NumberPattern("+44*") == .prefix("+44"))
        #expect(NumberPattern("+14085551234") == .exact("+14085551234"))
        for bad in ["44*", "+", "*", "+4*4", "+44**", "+ 44", "+1234567890123456", ""] {
            #expect(NumberPattern(bad) == nil, "\(bad)")
        }
        #expect(NumberPattern("+44*")?.description == "+44*")
    }

    @Test("deny wins over allow; no allow permits nothing")
    func policy() throws {
        let text = """
            [alice]
            type = user
            secret = x
            allow = +1408*, +44*
            allow = +33123456789
            deny = +44900*
            [bob]
            type = user
            secret = y
            """
        let config = try TestSupport.parse(text)
        let alice = try #require(config.user(named: "alice")).policy
        #expect(alice.permits("+14085551234"))
        #expect(alice.permits("+447700900123"))
        #expect(!alice.permits("+449001234567"))
        #expect(alice.permits("+33123456789"))
        #expect(!alice.permits("+331234567890"))
        #expect(!alice.permits("+15105551234"))
        #expect(!alice.permits("14085551234"))
        let bob = try #require(config.user(named: "bob")).policy
        #expect(!bob.permits("+14085551234"))
        #expect(DestinationPolicy(allow: [.prefix("+")], deny: [.prefix("+")]).permits("+1") == false)
    }

    @Test("dial plan normalisation", arguments: [
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 (20) 7946-0958", "+442079460958"),
        ("020 7946 0958", "+442079460958"),
        ("442079460958", "+442079460958"),
        ("1.408.555.1234", "+14085551234"),
        ("+1 (408) 555-1234", "+14085551234"),
    ])
    func normalizeUK(dialled: String, expected: String) {
        let plan = DialPlan(internationalPrefix: "00", nationalPrefix: "0", defaultCountryCode: "44")
        #expect(plan.normalize(dialled) == expected)
    }

    @Test("dial plan refusals", arguments: [
        "", "+", "abc", "+44abc", "*43", "+0441234567", "+1234567890123456", "123456", "0044", "++44123456789",
        "44 20 7946 0958 ext 2",
    ])
    func normalizeRefusals(dialled: String) {
        let plan = DialPlan(internationalPrefix: "00", nationalPrefix: "0", defaultCountryCode: "44")
        #expect(plan.normalize(dialled) == nil)
    }

    @Test("national numbers need a country code; prefixes are configurable")
    func nationalNumbers() {
        #expect(DialPlan().normalize("02079460958") == nil)
        #expect(DialPlan().normalize("00442079460958") == "+442079460958")
        let nanp = DialPlan(internationalPrefix: "011", nationalPrefix: "1", defaultCountryCode: "1")
        #expect(nanp.normalize("011 44 20 7946 0958") == "+442079460958")
        #expect(nanp.normalize("1 408 555 1234") == "+14085551234")
        let noPrefixes = DialPlan(internationalPrefix: "", nationalPrefix: "", defaultCountryCode: nil)
        #expect(noPrefixes.normalize("0044123456789") == nil)
    }

    @Test("the dial plan section")
    func dialPlanSection() throws {
        let config = try TestSupport.parse("[dialplan]\ninternational_prefix = 011\nnational_prefix = 1\ndefault_country_code = +1")
        #expect(config.dialplan == DialPlan(internationalPrefix: "011", nationalPrefix: "1", defaultCountryCode: "1"))
        #expect(TestSupport.problems("[dialplan]\ndefault_country_code = 0044") == [
            "sip.conf:2: bad value '0044' for 'default_country_code' in [dialplan]: expected a country code of 1-3 digits, e.g. '44'",
        ])
    }

    @Test("inbound routes are tried in order before the default target")
    func inboundRoutes() throws {
        let text = """
            [alice]
            type = user
            secret = x
            [bob]
            type = user
            secret = y
            [uk]
            type = ringgroup
            members = bob
            [pbx]
            type = trunk
            host = 192.0.2.10
            [inbound]
            route = +44* group:uk, +1408* trunk:pbx
            route = +14085550100 user:alice
            target = user:alice
            ring_timeout = 40
            """
        let inbound = try TestSupport.parse(text).inbound
        #expect(inbound.target(forCaller: "+447700900123") == .group("uk"))
        #expect(inbound.target(forCaller: "+14085550100") == .trunk("pbx"))
        #expect(inbound.target(forCaller: "+33123456789") == .user("alice"))
        #expect(inbound.ringTimeout == .seconds(40))
        #expect(TestSupport.problems("[inbound]\nring_timeout = 60") == [
            "sip.conf:2: bad value '60' for 'ring_timeout' in [inbound]: expected a whole number of seconds from 5 to 55",
        ])
    }

    @Test("inbound target defaults to the first user in sandbox mode only")
    func inboundDefault() throws {
        #expect(try TestSupport.parse(TestSupport.minimal).inbound.target == .user("alice"))
        let cloud = TestSupport.minimal + """

            [whatsapp]
            mode = cloud
            phone_number_id = 1
            business_number = +15551234567
            access_token = a
            app_secret = b
            verify_token = c
            """
        #expect(try TestSupport.parse(cloud).inbound.target == nil)
    }

    @Test("trunk defaults, source matching and number rewriting")
    func trunks() throws {
        let text = """
            [carrier]
            type = trunk
            host = 2001:db8::10
            transport = tls
            username = carrier
            secret = c-secret
            remote_username = wagate
            remote_secret = w-secret
            inbound_strip = 2
            inbound_prefix = +
            outbound_strip = 1
            outbound_prefix = 00
            dial = 100
            [office]
            type = trunk
            host = pbx.example.com
            match = 198.51.100.0/24
            match = 203.0.113.7
            """
        let config = try TestSupport.parse(text)
        let carrier = try #require(config.trunk(named: "carrier"))
        #expect(carrier.port == 5061)
        #expect(carrier.match.map(\.description) == ["2001:db8::10/128"])
        #expect(carrier.inboundCredentials?.username == "carrier")
        #expect(carrier.remoteCredentials?.secret.reveal() == "w-secret")
        #expect(carrier.rewriteInboundDialled("0044123") == "+44123")
        #expect(carrier.rewriteOutboundCaller("+44123") == "0044123")
        #expect(carrier.rewriteInboundDialled("0") == "+")
        #expect(carrier.dial == "100" && carrier.maxCalls == 30)
        #expect(config.trunk(matchingSource: "198.51.100.20")?.name == "office")
        #expect(config.trunk(matchingSource: "203.0.113.7", port: 5060)?.name == "office")
        #expect(config.trunk(matchingSource: "2001:db8::10")?.name == "carrier")
        #expect(config.trunk(matchingSource: "192.0.2.1") == nil)
    }
}
