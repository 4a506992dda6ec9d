// The text forms of call hours in sip.conf: `mon-fri 09:00-17:00`,
// `2026-12-24 12:00-23:59`.

import Foundation

extension ConfigValidator {
    /// Meta's day names, Monday first.
    static let weekDays = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

    /// `DAYS HH:MM-HH:MM` as one window per day, or nil.
    static func weeklyWindows(_ text: String) -> [CallHoursConfig.Window]? {
        let words = TextScanning.words(text)
        guard words.count == 2, let days = days(words[0]), let (open, close) = timeRange(words[1]) else { return nil }
        return days.map { CallHoursConfig.Window(day: $0, open: open, close: close) }
    }

    /// `YYYY-MM-DD` (the whole day) or `YYYY-MM-DD HH:MM-HH:MM`, or nil.
    static func holiday(_ text: String) -> CallHoursConfig.Holiday? {
        let words = TextScanning.words(text)
        guard (1...2).contains(words.count), isCalendarDate(words[0]) else { return nil }
        guard words.count == 2 else { return CallHoursConfig.Holiday(date: words[0]) }
        guard let (start, end) = timeRange(words[1]) else { return nil }
        return CallHoursConfig.Holiday(date: words[0], start: start, end: end)
    }

    /// `mon`, `monday`, `mon-fri` (wrapping allowed: `fri-mon`) or `daily`.
    static func days(_ text: String) -> [String]? {
        let lower = TextScanning.asciiLowercased(text)
        if lower == "daily" { return weekDays }
        let bounds = lower.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(bounds.count), let first = dayIndex(bounds[0]),
              let last = bounds.count == 2 ? dayIndex(bounds[1]) : first else { return nil }
        var result: [String] = []
        var index = first
        while true {
            result.append(weekDays[index])
            if index == last { break }
            index = (index + 1) % 7
        }
        return result
    }

    private static func dayIndex(_ text: String) -> Int? {
        guard text.utf8.count >= 3 else { return nil }
        return weekDays.firstIndex { $0.lowercased().hasPrefix(text) }
    }

    /// `HH:MM-HH:MM` (or `HHMM-HHMM`) with the start before the end; `24:00` ends the day.
    static func timeRange(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let start = clockTime(parts[0]), var end = clockTime(parts[1]) else { return nil }
        if end == 1440 { end = 1439 }
        guard start < 1440, start < end else { return nil }
        return (start, end)
    }

    /// Minutes after midnight of `HH:MM` or `HHMM` (up to `24:00`), or nil.
    static func clockTime(_ text: String) -> Int? {
        let digits = text.filter { $0 != ":" }
        guard digits.utf8.count == 4, TextScanning.isDigits(digits), text.utf8.count == (text.contains(":") ? 5 : 4),
              !text.contains(":") || text.dropFirst(2).hasPrefix(":"),
              let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), minutes < 60 else { return nil }
        guard hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 60 + minutes
    }

    /// Whether `text` is a real `YYYY-MM-DD` date.
    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts[1].utf8.count == 2, parts[2].utf8.count == 2,
              parts.allSatisfy({ TextScanning.isDigits($0) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), (1...12).contains(month), day >= 1 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))
        return date.map { calendar.component(.day, from: $0) == day } ?? false
    }
}
