// Building the wanted calling settings of [whatsapp] and of `type = number`
// sections (see CallingSettingsConfig), and [whatsapp]'s Meta ids.

import Foundation

extension ConfigValidator {
    /// The keys ``buildCallingSettings(_:)`` reads.
    static let callingSettingsKeys = ["calling", "call_icon_visibility", "call_icon_countries",
                                      "callback_permission", "call_hours_timezone", "call_hours", "call_holiday"]

    /// Meta's limits on one schedule: 14 weekly windows, 20 holidays (Meta's call settings page).
    static let maxWeeklyWindows = 14
    /// See ``maxWeeklyWindows``.
    static let maxHolidays = 20

    /// `[whatsapp]`'s `waba_id` and `app_id`: the ids the health check asks Meta about.
    func buildMetaIDs(_ reader: SectionReader, into config: inout WhatsAppConfig) {
        if let entry = reader.usable("waba_id") {
            config.wabaID = graphID(entry, reader: reader, what: "the numeric WhatsApp Business Account id")
        }
        if let entry = reader.usable("app_id") {
            config.appID = graphID(entry, reader: reader, what: "the numeric app id from Meta's App Dashboard")
        }
    }

    /// Validates the calling-settings keys of `[whatsapp]` or of a `type = number` section.
    func buildCallingSettings(_ reader: SectionReader) -> CallingSettingsConfig {
        var config = CallingSettingsConfig()
        if reader.has("calling") { config.status = reader.choice("calling", default: CallingSettingsConfig.Toggle.enabled) }
        if reader.has("call_icon_visibility") {
            config.callIconVisibility = reader.choice("call_icon_visibility", default: .default)
        }
        if reader.has("callback_permission") {
            config.callbackPermission = reader.choice("callback_permission", default: CallingSettingsConfig.Toggle.disabled)
        }
        if reader.has("call_icon_countries") {
            config.callIconCountries = reader.list("call_icon_countries",
                                                   expected: "ISO 3166 two-letter country codes such as US, BR") { item in
                let upper = item.uppercased()
                return upper.utf8.count == 2 && upper.utf8.allSatisfy { (65...90).contains($0) } ? upper : nil
            }
        }
        config.callHours = buildCallHours(reader)
        return config
    }

    private func buildCallHours(_ reader: SectionReader) -> CallHoursConfig? {
        let zoneEntry = reader.usable("call_hours_timezone")
        let items = reader.listItems("call_hours")
        let holidayItems = reader.listItems("call_holiday")
        if items.count == 1, TextScanning.asciiLowercased(items[0].item) == "always" {
            if let entry = reader.entries("call_holiday").first {
                reader.problem(entry.line, "call_holiday needs call_hours with opening times in [\(reader.name)], not 'always'")
            }
            return CallHoursConfig(enforced: false)
        }
        guard !items.isEmpty else {
            if let entry = zoneEntry ?? reader.entries("call_holiday").first {
                reader.problem(entry.line, "\(entry.key) needs call_hours (e.g. 'call_hours = mon-fri 09:00-17:00') in [\(reader.name)]")
            }
            return nil
        }
        var zone = ""
        if let zoneEntry {
            if TimeZone(identifier: zoneEntry.value) != nil { zone = zoneEntry.value } else {
                reader.bad(zoneEntry, expected: "an IANA time zone such as 'Europe/Berlin' or 'America/Sao_Paulo'")
            }
        } else {
            _ = reader.required("call_hours_timezone", reason: "required with call_hours")
        }
        var weekly: [CallHoursConfig.Window] = []
        for (item, line) in items {
            guard let windows = Self.weeklyWindows(item) else {
                reader.bad("call_hours", value: item, line: line,
                           expected: "DAYS HH:MM-HH:MM with DAYS a day (mon), a range (mon-fri) or 'daily', "
                               + "opening before closing, e.g. 'mon-fri 09:00-17:00'; or 'always'")
                continue
            }
            if let clash = windows.first(where: { new in weekly.contains { Self.overlap($0, new) } }) {
                reader.problem(line, "call_hours window \(clash.day) \(item) overlaps another one in [\(reader.name)]")
                continue
            }
            weekly += windows
        }
        if weekly.count > Self.maxWeeklyWindows {
            reader.problem(reader.line(of: "call_hours"),
                           "call_hours has \(weekly.count) day windows; Meta accepts at most \(Self.maxWeeklyWindows)")
        }
        let holidays = holidayItems.compactMap { item, line -> CallHoursConfig.Holiday? in
            guard let holiday = Self.holiday(item) else {
                reader.bad("call_holiday", value: item, line: line,
                           expected: "YYYY-MM-DD, optionally with HH:MM-HH:MM, e.g. '2026-12-25' or '2026-12-24 12:00-23:59'")
                return nil
            }
            return holiday
        }
        if holidays.count > Self.maxHolidays {
            reader.problem(reader.line(of: "call_holiday"),
                           "call_holiday lists \(holidays.count) days; Meta accepts at most \(Self.maxHolidays)")
        }
        return CallHoursConfig(enforced: true, timezoneID: zone, weekly: weekly, holidays: holidays)
    }

    private static func overlap(_ lhs: CallHoursConfig.Window, _ rhs: CallHoursConfig.Window) -> Bool {
        lhs.day == rhs.day && lhs.open < rhs.close && rhs.open < lhs.close
    }
}
