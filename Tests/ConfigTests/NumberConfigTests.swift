// `type = number` sections, the implicit number of a single-number [whatsapp],
// and `numbers` lists of users and trunks.

import Testing
@testable import Config

@Suite("business numbers")
struct NumberConfigTests {
    static let twoNumbers = TestSupport.minimal + """

        numbers = support, sales

        [bob]
        type = user
        secret = bob-secret

        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000
        waba_id = 900
        max_calls = 5
        call_rate = 2/min

        [support]
        type = number
        phone_number_id = 222
        business_number = +15550100001
        access_token = support-token
        inbound_target = user:bob
        route = +44* user:alice
        dial_prefix = *2
        additional_codecs = pcma
        """

    @Test("N1 number sections in file order, each with its own keys; the first is the default")
    func sections() throws {
        let config = try TestSupport.parse(Self.twoNumbers)
        #expect(config.numbers.map(\.name) == ["sales", "support"])
        let sales = try #require(config.number(named: "sales"))
        #expect(sales.phoneNumberID == "111" && sales.businessNumber == "+15550100000" && sales.wabaID == "900")
        #expect(sales.maxCalls == 5 && sales.callRate == CallRate(count: 2, window: .seconds(60)))
        #expect(sales.inbound == nil && sales.dialPrefix.isEmpty)
        #expect(sales.accessToken.reveal() == WhatsAppConfig.sandboxAccessToken)
        let support = try #require(config.number(withID: "222"))
        #expect(support.accessToken.reveal() == "support-token")
        #expect(support.inbound?.target == .user("bob"))
        #expect(support.inbound?.routes.map(\.target) == [.user("alice")])
        #expect(support.maxCalls == NumberConfig.metaMaxCalls && support.callRate == nil)
        #expect(support.dialPrefix == "*2" && support.additionalCodecs == [.pcma])
        #expect(config.number(withBusinessNumber: "+15550100001")?.name == "support")
        #expect(config.whatsapp.phoneNumberID == "111" && config.whatsapp.businessNumber == "+15550100000")
        #expect(config.user(named: "alice")?.numbers == ["support", "sales"])
        #expect(config.user(named: "bob")?.numbers == [])
        #expect(config.inboundPlan(of: support).target == .user("bob"))
        #expect(config.inboundPlan(of: sales) == config.inbound)
    }

    @Test("N2 a single-number [whatsapp] keeps working: one implicit number called default")
    func legacy() throws {
        let text = TestSupport.minimal + """

            [whatsapp]
            mode = cloud
            phone_number_id = 123456
            business_number = +15551234567
            access_token = token
            app_secret = secret
            verify_token = verify
            additional_codecs = pcmu
            """
        let config = try TestSupport.parse(text)
        #expect(config.numbers.count == 1)
        let number = try #require(config.numbers.first)
        #expect(number.name == NumberConfig.implicitName && number.phoneNumberID == "123456")
        #expect(number.businessNumber == "+15551234567" && number.accessToken.reveal() == "token")
        #expect(number.additionalCodecs == [.pcmu] && number.maxCalls == 1000 && number.inbound == nil)
        let sandbox = try TestSupport.parse(TestSupport.minimal)
        #expect(sandbox.numbers.map(\.phoneNumberID) == [WhatsAppConfig.sandboxPhoneNumberID])
    }

    @Test("N3 duplicates, overlapping prefixes and bad values are file:line errors")
    func errors() {
        let text = TestSupport.minimal + """

            [one]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            dial_prefix = 8

            [two]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            dial_prefix = 81
            call_rate = fast
            max_calls = 0

            [three]
            type = number
            phone_number_id = x1
            business_number = 15550100002
            inbound_target = user:nobody
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:16: phone_number_id 111 of [two] is already used by [one]",
            "sip.conf:17: business_number +15550100000 of [two] is already used by [one]",
            "sip.conf:18: dial_prefix '81' of [two] overlaps dial_prefix '8' of [one]: one must not start with the other",
            "sip.conf:19: bad value 'fast' for 'call_rate' in [two]: expected connects per second or minute from 1 to 100000, e.g. '5/s' or '60/min'",
            "sip.conf:20: bad value '0' for 'max_calls' in [two]: expected an integer from 1 to 100000",
            "sip.conf:24: bad value 'x1' for 'phone_number_id' in [three]: expected the numeric phone number id from the WhatsApp Manager",
            "sip.conf:25: bad value '15550100002' for 'business_number' in [three]: expected an E.164 number with '+' and 7-15 digits, e.g. '+15551234567'",
            "sip.conf:26: unknown user 'nobody' in 'inbound_target' of [three]",
        ])
    }

    @Test("N3b no number is named like the metrics label of unknown numbers")
    func reservedName() {
        let text = TestSupport.minimal + """

            [other]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:8: a number cannot be named 'other': /metrics counts calls on numbers it does not serve under that label",
        ])
    }

    @Test("N4 cloud mode: numbers need a token of their own or a shared one; [whatsapp] number keys beside sections are refused")
    func cloudCredentials() {
        let text = TestSupport.minimal + """

            [whatsapp]
            mode = cloud
            app_secret = secret
            verify_token = verify
            phone_number_id = 999

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:12: 'phone_number_id' in [whatsapp] cannot be combined with type = number sections; move it into a type = number section",
            "sip.conf:14: missing required key 'access_token' in [sales] (required when mode = cloud and [whatsapp] has no access_token)",
        ])
    }

    @Test("N5 numbers lists name number sections, each once")
    func numberLists() {
        let text = TestSupport.minimal + """

            numbers = sales, sales, nope

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:8: number 'sales' is listed twice in 'numbers' of [alice]",
            "sip.conf:8: unknown number 'nope' in 'numbers' of [alice]",
        ])
    }

    @Test("N6 call_rate: N/s, N/min or a bare N per second")
    func callRate() {
        #expect(CallRate("5/s") == CallRate(count: 5, window: .seconds(1)))
        #expect(CallRate("60 / min") == CallRate(count: 60, window: .seconds(60)))
        #expect(CallRate("7") == CallRate(count: 7, window: .seconds(1)))
        #expect(CallRate("0/s") == nil && CallRate("5/h") == nil && CallRate("") == nil && CallRate("1/s/x") == nil)
    }
}
