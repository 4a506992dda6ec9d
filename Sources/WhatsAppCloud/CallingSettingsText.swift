import Foundation

/// Calling settings as short, stable text for `wagate whatsapp status`, diffs and logs.
public enum CallingSettingsText {
    /// `A, B` or `-` when empty or unset.
    public static func list(_ items: [String]?) -> String {
        guard let items, !items.isEmpty else { return "-" }
        return items.joined(separator: ", ")
    }

    /// E.g. `ENABLED Europe/Berlin MON 0900-1700, TUE 0900-1700; closed 2026-12-25 0000-2359`,
    /// `DISABLED` (calls at any time) or `-` when unset.
    public static func hours(_ hours: CallHours?) -> String {
        guard let hours else { return "-" }
        guard hours.isEnabled else { return (hours.status ?? "-").uppercased() }
        var text = "ENABLED \(hours.timezoneID ?? "?")"
        let days = (hours.weeklyOperatingHours ?? []).map { "\($0.dayOfWeek.prefix(3).uppercased()) \($0.openTime)-\($0.closeTime)" }
        text += " " + (days.isEmpty ? "(no open hours)" : days.joined(separator: ", "))
        let holidays = (hours.holidaySchedule ?? []).map { "\($0.date) \($0.startTime)-\($0.endTime)" }
        if !holidays.isEmpty { text += "; closed " + holidays.joined(separator: ", ") }
        return text
    }

    /// The restriction list as `TYPE (until 2026-12-01T10:00:00Z)`, or `none`.
    public static func restrictions(_ restrictions: CallingRestrictions?) -> String {
        let items = restrictions?.restrictionsList ?? []
        guard !items.isEmpty else { return "none" }
        let formatter = ISO8601DateFormatter()
        return items.map { item in
            guard let expiration = item.expiration else { return item.type }
            return "\(item.type) (until \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(expiration)))))"
        }.joined(separator: ", ")
    }
}
