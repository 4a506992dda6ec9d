// Calling settings per business number: the keys in `type = number` sections,
// inheritance from [whatsapp], FILE:LINE errors, and the settings targets the
// `wagate whatsapp` commands and the start-up check get from the numbers.

import Testing
@testable import Config

@Suite("calling settings per number")
struct NumberCallingSettingsTests {
    static let config = TestSupport.minimal + """

        [whatsapp]
        waba_id = 900000000000001
        app_id = 300000000000003
        calling = enabled
        callback_permission = enabled
        call_hours_timezone = Europe/Berlin
        call_hours = mon-fri 09:00-17:00
        additional_codecs = pcmu

        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000

        [support]
        type = number
        phone_number_id = 222
        business_number = +15550100001
        waba_id = 900000000000002
        access_token = support-token
        callback_permission = disabled
        call_icon_visibility = disable_all
        call_icon_countries = br
        call_hours_timezone = America/Sao_Paulo
        call_hours = sat 10:00-14:00
        call_hours = sun 10:00-12:00
        call_holiday = 2026-12-25
        additional_codecs = pcma
        """

    @Test func aNumberSetsItsOwnKeysAndInheritsTheOthers() throws {
        let config = try TestSupport.parse(Self.config)
        let sales = try #require(config.number(named: "sales"))
        #expect(sales.calling == config.whatsapp.calling && sales.wabaID == "900000000000001")
        let support = try #require(config.number(named: "support")).calling
        #expect(support.status == .enabled && support.callbackPermission == .disabled)
        #expect(support.callIconVisibility == .disableAll && support.callIconCountries == ["BR"])
        let hours = try #require(support.callHours)
        #expect(hours.timezoneID == "America/Sao_Paulo" && hours.weekly.map(\.day) == ["SATURDAY", "SUNDAY"])
        #expect(hours.holidays == [.init(date: "2026-12-25")])
        #expect(config.whatsapp.calling.callHours?.holidays == [])
    }

    @Test func oneTargetPerNumberWithItsOwnIdsTokenSettingsAndCodecs() throws {
        let config = try TestSupport.parse(Self.config)
        let targets = config.settingsTargets()
        #expect(targets.map(\.name) == ["sales", "support"])
        #expect(targets.map(\.phoneNumberID) == ["111", "222"])
        #expect(targets.map(\.wabaID) == ["900000000000001", "900000000000002"])
        #expect(targets.map { $0.accessToken.reveal() } == [WhatsAppConfig.sandboxAccessToken, "support-token"])
        #expect(targets.map(\.additionalCodecs) == [[.pcmu], [.pcma]])
        #expect(targets[1].desired == config.number(named: "support")?.calling)
        #expect(targets[1].matches("support") && targets[1].matches("+15550100001") && targets[1].matches("222"))
        #expect(!targets[1].matches("sales") && targets[1].label == "support +15550100001")
        #expect(config.settingsAppID == "300000000000003")
    }

    @Test func sandboxNumbersWithoutAWABABelongToTheSandboxWABA() throws {
        let config = try TestSupport.parse(TestSupport.minimal + """

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            calling = disabled
            """)
        let target = try #require(config.settingsTargets().first)
        #expect(target.wabaID == WhatsAppConfig.sandboxWABAID && target.desired.status == .disabled)
        #expect(config.whatsapp.calling.status == nil)
    }

    @Test func theImplicitNumberTakesWhatsAppsKeysAndWABA() throws {
        let config = try TestSupport.parse("[whatsapp]\nwaba_id = 900\ncalling = disabled\ncall_hours = always")
        let number = try #require(config.numbers.first)
        #expect(number.name == NumberConfig.implicitName && number.wabaID == "900")
        #expect(number.calling.status == .disabled && number.calling.callHours == CallHoursConfig(enforced: false))
        #expect(GatewayConfig(whatsapp: config.whatsapp).numbers.first?.calling == config.whatsapp.calling)
    }

    @Test func badKeysInANumberAreReportedWithTheirLine() {
        let head = "[sales]\ntype = number\nphone_number_id = 111\nbusiness_number = +15550100000\n"
        #expect(TestSupport.problems(head + "calling = on") == [
            "sip.conf:5: bad value 'on' for 'calling' in [sales]: expected one of enabled, disabled",
        ])
        #expect(TestSupport.problems(head + "call_holiday = 2026-12-25") == [
            "sip.conf:5: call_holiday needs call_hours (e.g. 'call_hours = mon-fri 09:00-17:00') in [sales]",
        ])
        #expect(TestSupport.problems(head + "call_hours = mon 09:00-17:00") == [
            "sip.conf:1: missing required key 'call_hours_timezone' in [sales] (required with call_hours)",
        ])
        #expect(TestSupport.problems(head + "call_hours_timezone = UTC\ncall_hours = mon 09:00-17:00\ncall_hours = mon 16:00-18:00") == [
            "sip.conf:7: call_hours window MONDAY mon 16:00-18:00 overlaps another one in [sales]",
        ])
        #expect(TestSupport.problems(head + "app_id = 3")[0].hasPrefix("sip.conf:5: unknown key 'app_id' in [sales]"))
    }
}
