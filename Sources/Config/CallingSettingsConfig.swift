// What sip.conf wants Meta's calling settings of a business number to be
// (`wagate whatsapp apply` pushes it, `status` and the start-up check compare
// against it). Keys of [whatsapp] and of `type = number` sections; a number
// inherits each key it does not set from [whatsapp].

/// The wanted calling settings of a number. A nil field is not managed:
/// `apply` leaves Meta's value alone.
public struct CallingSettingsConfig: Sendable, Equatable {
    /// `calling`: calling switched on or off at Meta.
    public var status: Toggle?
    /// `call_icon_visibility`: whether WhatsApp shows the call button.
    public var callIconVisibility: CallIconVisibility?
    /// `call_icon_countries`: ISO 3166 alpha-2 codes; the icon shows only to users there.
    public var callIconCountries: [String]?
    /// `callback_permission`: ask a user who called for permission to call back.
    public var callbackPermission: Toggle?
    /// `call_hours_timezone`, `call_hours` and `call_holiday`.
    public var callHours: CallHoursConfig?
    /// Nothing managed.
    public init() {}

    /// These settings with every key they leave unset taken from `shared`
    /// (`[whatsapp]`'s). Call hours inherit as one unit: a number that sets
    /// `call_hours` has its own time zone and holidays too.
    public func inheriting(from shared: CallingSettingsConfig) -> CallingSettingsConfig {
        var merged = self
        merged.status = status ?? shared.status
        merged.callIconVisibility = callIconVisibility ?? shared.callIconVisibility
        merged.callIconCountries = callIconCountries ?? shared.callIconCountries
        merged.callbackPermission = callbackPermission ?? shared.callbackPermission
        merged.callHours = callHours ?? shared.callHours
        return merged
    }

    /// `enabled` / `disabled`, Meta's `ENABLED` / `DISABLED`.
    public enum Toggle: String, Sendable, Equatable, CaseIterable {
        /// `ENABLED`.
        case enabled
        /// `DISABLED`.
        case disabled
    }

    /// Meta's `call_icon_visibility` values.
    public enum CallIconVisibility: String, Sendable, Equatable, CaseIterable {
        /// `DEFAULT`: the call button shows in the chat and the business profile.
        case `default`
        /// `DISABLE_ALL`: no call button; users can still call back from a call message.
        case disableAll = "disable_all"
    }
}

/// Call hours: enforced with a schedule, or `always` (Meta's `status: DISABLED`).
public struct CallHoursConfig: Sendable, Equatable {
    /// False for `call_hours = always`: calls at any time.
    public var enforced: Bool
    /// The IANA zone, e.g. `Europe/Berlin`.
    public var timezoneID: String
    /// Opening windows, in the order written.
    public var weekly: [Window]
    /// Closed windows on given dates.
    public var holidays: [Holiday]

    /// Creates call hours.
    public init(enforced: Bool, timezoneID: String = "", weekly: [Window] = [], holidays: [Holiday] = []) {
        self.enforced = enforced
        self.timezoneID = timezoneID
        self.weekly = weekly
        self.holidays = holidays
    }

    /// Open on `day` from `open` to `close` (minutes after midnight; 1439 = 23:59, Meta's end of day).
    public struct Window: Sendable, Equatable {
        /// Meta's day name, `MONDAY` … `SUNDAY`.
        public var day: String
        /// Minutes after midnight.
        public var open: Int
        /// Minutes after midnight, after `open`.
        public var close: Int

        /// Creates a window.
        public init(day: String, open: Int, close: Int) {
            self.day = day
            self.open = open
            self.close = close
        }
    }

    /// Closed on `date` (`YYYY-MM-DD`) from `start` to `end` (minutes; the whole day by default).
    public struct Holiday: Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var date: String
        /// Minutes after midnight.
        public var start: Int
        /// Minutes after midnight.
        public var end: Int

        /// Creates a holiday.
        public init(date: String, start: Int = 0, end: Int = 1439) {
            self.date = date
            self.start = start
            self.end = end
        }
    }

    /// Meta's `HHMM` for minutes after midnight.
    public static func metaTime(_ minutes: Int) -> String {
        let clamped = min(max(minutes, 0), 1439)
        let hours = clamped / 60, rest = clamped % 60
        return (hours < 10 ? "0" : "") + String(hours) + (rest < 10 ? "0" : "") + String(rest)
    }
}
