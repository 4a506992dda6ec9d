// The [whatsapp] keys for the wanted calling settings: parsed values and
// FILE:LINE errors.

import Testing
@testable import Config

@Suite("calling settings keys")
struct CallingSettingsConfigTests {
    private func calling(_ lines: String) throws -> CallingSettingsConfig {
        try TestSupport.parse("[whatsapp]\n" + lines).whatsapp.calling
    }

    @Test func nothingSetManagesNothing() throws {
        #expect(try calling("") == CallingSettingsConfig())
    }

    @Test func everyKeyParses() throws {
        let whatsapp = try TestSupport.parse("[whatsapp]\n" + """
            waba_id = 200000000000002
            app_id = 300000000000003
            calling = enabled
            call_icon_visibility = disable_all
            call_icon_countries = us, BR
            callback_permission = Enabled
            call_hours_timezone = America/Sao_Paulo
            call_hours = mon-fri 09:00-17:00, sat 1000-1400
            call_hours = sun 20:00-24:00
            call_holiday = 2026-12-25
            call_holiday = 2026-12-24 12:00-23:59
            """).whatsapp
        let config = whatsapp.calling
        #expect(whatsapp.wabaID == "200000000000002" && whatsapp.appID == "300000000000003")
        #expect(config.status == .enabled && config.callIconVisibility == .disableAll && config.callbackPermission == .enabled)
        #expect(config.callIconCountries == ["US", "BR"])
        let hours = try #require(config.callHours)
        #expect(hours.enforced && hours.timezoneID == "America/Sao_Paulo")
        #expect(hours.weekly.map(\.day) == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"])
        #expect(hours.weekly.last == .init(day: "SUNDAY", open: 1200, close: 1439))
        #expect(hours.holidays == [.init(date: "2026-12-25"), .init(date: "2026-12-24", start: 720, end: 1439)])
        #expect(CallHoursConfig.metaTime(545) == "0905" && CallHoursConfig.metaTime(1439) == "2359")
    }

    @Test func alwaysTurnsEnforcementOff() throws {
        #expect(try calling("call_hours = always").callHours == CallHoursConfig(enforced: false))
        #expect(try calling("call_hours_timezone = UTC\ncall_hours = fri-mon 22:00-23:00").callHours?.weekly.map(\.day)
            == ["FRIDAY", "SATURDAY", "SUNDAY", "MONDAY"])
    }

    @Test func badValuesAreReportedWithTheirLine() {
        #expect(TestSupport.problems("[whatsapp]\ncalling = on") == [
            "sip.conf:2: bad value 'on' for 'calling' in [whatsapp]: expected one of enabled, disabled",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_icon_countries = US, USA") == [
            "sip.conf:2: bad value 'USA' for 'call_icon_countries' in [whatsapp]: expected ISO 3166 two-letter country codes such as US, BR",
        ])
        #expect(TestSupport.problems("[whatsapp]\nwaba_id = acme") == [
            "sip.conf:2: bad value 'acme' for 'waba_id' in [whatsapp]: expected the numeric WhatsApp Business Account id",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = Mars/Olympus\ncall_hours = mon 09:00-17:00") == [
            "sip.conf:2: bad value 'Mars/Olympus' for 'call_hours_timezone' in [whatsapp]: expected an IANA time zone such as 'Europe/Berlin' or 'America/Sao_Paulo'",
        ])
    }

    @Test func badHoursAreReportedWithTheirLine() {
        let expected = "expected DAYS HH:MM-HH:MM with DAYS a day (mon), a range (mon-fri) or 'daily', "
            + "opening before closing, e.g. 'mon-fri 09:00-17:00'; or 'always'"
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = UTC\ncall_hours = mon 17:00-09:00") == [
            "sip.conf:3: bad value 'mon 17:00-09:00' for 'call_hours' in [whatsapp]: \(expected)",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = UTC\ncall_hours = funday 09:00-17:00") == [
            "sip.conf:3: bad value 'funday 09:00-17:00' for 'call_hours' in [whatsapp]: \(expected)",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = UTC\ncall_hours = mon-fri 09:00-17:00\ncall_hours = wed 16:00-18:00") == [
            "sip.conf:4: call_hours window WEDNESDAY wed 16:00-18:00 overlaps another one in [whatsapp]",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours = mon 09:00-17:00") == [
            "sip.conf:1: missing required key 'call_hours_timezone' in [whatsapp] (required with call_hours)",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = UTC") == [
            "sip.conf:2: call_hours_timezone needs call_hours (e.g. 'call_hours = mon-fri 09:00-17:00') in [whatsapp]",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours_timezone = UTC\ncall_hours = daily 09:00-17:00\ncall_holiday = 2026-02-30") == [
            "sip.conf:4: bad value '2026-02-30' for 'call_holiday' in [whatsapp]: expected YYYY-MM-DD, optionally with HH:MM-HH:MM, e.g. '2026-12-25' or '2026-12-24 12:00-23:59'",
        ])
        #expect(TestSupport.problems("[whatsapp]\ncall_hours = always\ncall_holiday = 2026-12-25") == [
            "sip.conf:3: call_holiday needs call_hours with opening times in [whatsapp], not 'always'",
        ])
    }

    @Test func theSingleNumberIsTheSettingsTarget() throws {
        let config = try TestSupport.parse("[whatsapp]\nadditional_codecs = pcma\ncalling = enabled")
        let targets = config.settingsTargets()
        #expect(targets.count == 1 && targets[0].name == NumberConfig.implicitName)
        #expect(targets[0].phoneNumberID == WhatsAppConfig.sandboxPhoneNumberID && targets[0].wabaID == WhatsAppConfig.sandboxWABAID)
        #expect(targets[0].desired.status == .enabled && targets[0].additionalCodecs == [.pcma])
        #expect(targets[0].matches("15550100000") && targets[0].matches(WhatsAppConfig.sandboxPhoneNumberID))
        #expect(!targets[0].matches("+4915100000000"))
        #expect(config.settingsAppID == WhatsAppConfig.sandboxAppID)
    }
}
