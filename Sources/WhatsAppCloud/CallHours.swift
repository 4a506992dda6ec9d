public import Foundation

/// `calling.call_hours`: when the business takes calls. Meta replaces the whole
/// object on every POST that carries it, so it is compared and sent as one value.
///
/// Times are Meta's `HHMM` strings (`"0900"`), days `MONDAY`…`SUNDAY`, dates
/// `YYYY-MM-DD`, the zone an IANA id (`timezone_id`).
public struct CallHours: Codable, Sendable, Equatable {
    /// `ENABLED` (calls outside the hours are not offered) or `DISABLED`.
    public var status: String?
    /// The IANA time zone the hours are in, e.g. `Europe/Berlin`.
    public var timezoneID: String?
    /// Opening hours per day of the week.
    public var weeklyOperatingHours: [WeeklyHours]?
    /// Days (or parts of days) closed despite the weekly hours.
    public var holidaySchedule: [Holiday]?

    /// Creates call hours.
    public init(status: String?, timezoneID: String? = nil, weeklyOperatingHours: [WeeklyHours]? = nil,
                holidaySchedule: [Holiday]? = nil) {
        self.status = status
        self.timezoneID = timezoneID
        self.weeklyOperatingHours = weeklyOperatingHours
        self.holidaySchedule = holidaySchedule
    }

    /// Reads leniently: unreadable entries are skipped.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = container.lenientString(.status)
        timezoneID = container.lenientString(.timezoneID)
        weeklyOperatingHours = container.contains(.weeklyOperatingHours)
            ? container.lenientArray(WeeklyHours.self, .weeklyOperatingHours) : nil
        holidaySchedule = container.contains(.holidaySchedule)
            ? container.lenientArray(Holiday.self, .holidaySchedule) : nil
    }

    /// Whether the hours are enforced.
    public var isEnabled: Bool { status?.uppercased() == "ENABLED" }

    enum CodingKeys: String, CodingKey {
        case status
        case timezoneID = "timezone_id"
        case weeklyOperatingHours = "weekly_operating_hours"
        case holidaySchedule = "holiday_schedule"
    }

    /// One `weekly_operating_hours` entry.
    public struct WeeklyHours: Codable, Sendable, Equatable {
        /// `MONDAY` … `SUNDAY`.
        public var dayOfWeek: String
        /// `HHMM`.
        public var openTime: String
        /// `HHMM`.
        public var closeTime: String

        /// Creates an entry.
        public init(dayOfWeek: String, openTime: String, closeTime: String) {
            self.dayOfWeek = dayOfWeek
            self.openTime = openTime
            self.closeTime = closeTime
        }

        enum CodingKeys: String, CodingKey {
            case dayOfWeek = "day_of_week"
            case openTime = "open_time"
            case closeTime = "close_time"
        }
    }

    /// One `holiday_schedule` entry: closed on `date` from `start_time` to `end_time`.
    public struct Holiday: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var date: String
        /// `HHMM`.
        public var startTime: String
        /// `HHMM`.
        public var endTime: String

        /// Creates an entry.
        public init(date: String, startTime: String, endTime: String) {
            self.date = date
            self.startTime = startTime
            self.endTime = endTime
        }

        enum CodingKeys: String, CodingKey {
            case date
            case startTime = "start_time"
            case endTime = "end_time"
        }
    }

    /// Meta's day names, Sunday first (as `Calendar` numbers weekdays 1…7).
    public static let dayNames = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]

    /// Minutes since midnight of an `HHMM` string, or nil when it is not one.
    public static func minutes(_ text: String) -> Int? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 4, utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let hours = Int(utf8[0] - 48) * 10 + Int(utf8[1] - 48)
        let minutes = Int(utf8[2] - 48) * 10 + Int(utf8[3] - 48)
        guard hours < 24, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }
}

extension CallHours {
    /// Whether calls are taken at `date`: true when the hours are not enforced,
    /// nil when the time zone is unknown. A window ending at `2359` runs to midnight.
    public func isOpen(at date: Date) -> Bool? {
        guard isEnabled else { return true }
        guard let zoneID = timezoneID, let zone = TimeZone(identifier: zoneID) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let weekday = parts.weekday,
              (1...7).contains(weekday) else { return nil }
        let now = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let today = String(format: "%04d-%02d-%02d", year, month, day)
        for holiday in holidaySchedule ?? [] where holiday.date == today {
            if Self.window(holiday.startTime, holiday.endTime, contains: now) { return false }
        }
        let name = Self.dayNames[weekday - 1]
        return (weeklyOperatingHours ?? []).contains { entry in
            entry.dayOfWeek.uppercased() == name && Self.window(entry.openTime, entry.closeTime, contains: now)
        }
    }

    private static func window(_ start: String, _ end: String, contains minute: Int) -> Bool {
        guard let from = minutes(start), var until = minutes(end) else { return false }
        if until == 23 * 60 + 59 { until = 24 * 60 }
        return from <= minute && minute < until
    }
}
