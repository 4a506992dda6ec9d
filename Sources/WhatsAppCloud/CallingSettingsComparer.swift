import Foundation

/// One setting where Meta's value is not what the configuration wants.
public struct CallingSettingsDifference: Sendable, Equatable, CustomStringConvertible {
    /// Meta's field path, e.g. `call_hours` or `audio.additional_codecs`.
    public var field: String
    /// Meta's value, as text (`-` when unset).
    public var current: String
    /// The wanted value, as text.
    public var desired: String

    /// Creates a difference.
    public init(field: String, current: String, desired: String) {
        self.field = field
        self.current = current
        self.desired = desired
    }

    /// `field: current -> desired`.
    public var description: String { "\(field): \(current) -> \(desired)" }
}

/// Compares wanted calling settings with Meta's and builds the smallest POST body.
///
/// Only fields the wanted settings set are compared; the rest are Meta's to keep.
/// Values compare as Meta means them: enum words case-insensitively, country and
/// codec lists as sets, a missing `audio` as no extra codecs. `call_hours` is
/// compared and sent whole, because Meta replaces the whole object on a POST.
public enum CallingSettingsComparer {
    /// Every field where `current` differs from `desired`, in Meta's field order.
    public static func differences(desired: CallingSettings, current: CallingSettings) -> [CallingSettingsDifference] {
        var result: [CallingSettingsDifference] = []
        func word(_ field: String, _ want: String?, _ have: String?) {
            guard let want, want.uppercased() != have?.uppercased() else { return }
            result.append(.init(field: field, current: have ?? "-", desired: want))
        }
        func set(_ field: String, _ want: [String]?, _ have: [String]?) {
            guard let want, normalized(want) != normalized(have ?? []) else { return }
            result.append(.init(field: field, current: CallingSettingsText.list(have), desired: CallingSettingsText.list(want)))
        }
        word("status", desired.status, current.status)
        word("call_icon_visibility", desired.callIconVisibility, current.callIconVisibility)
        set("call_icons.restrict_to_user_countries", desired.callIcons?.restrictToUserCountries,
            current.callIcons?.restrictToUserCountries)
        if let want = desired.callHours, normalized(want) != current.callHours.map(normalized) {
            result.append(.init(field: "call_hours", current: CallingSettingsText.hours(current.callHours),
                                desired: CallingSettingsText.hours(want)))
        }
        word("callback_permission_status", desired.callbackPermissionStatus, current.callbackPermissionStatus)
        word("sip.status", desired.sip?.status, current.sip?.status)
        word("srtp_key_exchange_protocol", desired.srtpKeyExchangeProtocol, current.srtpKeyExchangeProtocol)
        set("audio.additional_codecs", desired.audio?.additionalCodecs, current.audio?.additionalCodecs)
        return result
    }

    /// The `calling` object to POST so Meta ends up with `desired`, holding only
    /// the differing fields; nil when there is nothing to change.
    public static func update(desired: CallingSettings, current: CallingSettings) -> CallingSettings? {
        let fields = Set(differences(desired: desired, current: current).map(\.field))
        guard !fields.isEmpty else { return nil }
        var body = CallingSettings()
        if fields.contains("status") { body.status = desired.status }
        if fields.contains("call_icon_visibility") { body.callIconVisibility = desired.callIconVisibility }
        if fields.contains("call_icons.restrict_to_user_countries") { body.callIcons = desired.callIcons }
        if fields.contains("call_hours") { body.callHours = desired.callHours }
        if fields.contains("callback_permission_status") { body.callbackPermissionStatus = desired.callbackPermissionStatus }
        if fields.contains("sip.status") { body.sip = .init(status: desired.sip?.status) }
        if fields.contains("srtp_key_exchange_protocol") { body.srtpKeyExchangeProtocol = desired.srtpKeyExchangeProtocol }
        if fields.contains("audio.additional_codecs") { body.audio = desired.audio }
        return body
    }

    private static func normalized(_ list: [String]) -> [String] {
        Array(Set(list.map { $0.uppercased() })).sorted()
    }

    private static func normalized(_ hours: CallHours) -> CallHours {
        let enabled = hours.isEnabled
        let weekly = (hours.weeklyOperatingHours ?? []).map {
            CallHours.WeeklyHours(dayOfWeek: $0.dayOfWeek.uppercased(), openTime: $0.openTime, closeTime: $0.closeTime)
        }.sorted { ($0.dayOfWeek, $0.openTime, $0.closeTime) < ($1.dayOfWeek, $1.openTime, $1.closeTime) }
        let holidays = (hours.holidaySchedule ?? []).sorted { ($0.date, $0.startTime) < ($1.date, $1.startTime) }
        // Hours that are not enforced are equal whatever schedule they keep.
        return enabled ? CallHours(status: "ENABLED", timezoneID: hours.timezoneID, weeklyOperatingHours: weekly,
                                   holidaySchedule: holidays)
            : CallHours(status: "DISABLED")
    }
}
