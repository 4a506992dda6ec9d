import Foundation
import WhatsAppCloud

/// Checks a settings POST the way Meta does: every `calling` member must be a
/// known one of the right shape with one of Meta's values, or the request is
/// refused with 400 / code 100 and nothing changes.
enum SimulatedCallingSettingsRules {
    /// The members a POST may carry (`restrictions` is Meta's to set).
    static let writable: Set<String> = ["status", "call_icon_visibility", "call_icons", "call_hours",
                                        "callback_permission_status", "sip", "srtp_key_exchange_protocol", "audio"]

    /// The typed update, or the error Meta would answer.
    static func validate(_ body: JSONValue) throws -> CallingSettings {
        guard case .object(let members)? = body["calling"] else {
            throw SimulatedGraphError.invalidParameter("calling is required and must be an object")
        }
        if let unknown = members.keys.sorted().first(where: { !writable.contains($0) }) {
            throw SimulatedGraphError.invalidParameter("Param calling[\(unknown)] is not a valid parameter")
        }
        let data = (try? GraphJSON.encoder.encode(body["calling"])) ?? Data()
        guard let update = try? JSONDecoder().decode(CallingSettings.self, from: data) else {
            throw SimulatedGraphError.invalidParameter("calling could not be read")
        }
        let typed: [String: Bool] = [
            "status": update.status != nil, "call_icon_visibility": update.callIconVisibility != nil,
            "call_icons": update.callIcons != nil, "call_hours": update.callHours != nil,
            "callback_permission_status": update.callbackPermissionStatus != nil, "sip": update.sip != nil,
            "srtp_key_exchange_protocol": update.srtpKeyExchangeProtocol != nil, "audio": update.audio != nil,
        ]
        if let bad = members.keys.sorted().first(where: { typed[$0] == false }) {
            throw SimulatedGraphError.invalidParameter("calling.\(bad) has the wrong type")
        }
        try check("status", update.status, in: ["ENABLED", "DISABLED"])
        try check("call_icon_visibility", update.callIconVisibility, in: ["DEFAULT", "DISABLE_ALL"])
        try check("callback_permission_status", update.callbackPermissionStatus, in: ["ENABLED", "DISABLED"])
        try check("srtp_key_exchange_protocol", update.srtpKeyExchangeProtocol, in: ["DTLS", "SDES"])
        try check("sip.status", update.sip?.status, in: ["ENABLED", "DISABLED"])
        for country in update.callIcons?.restrictToUserCountries ?? []
        where country.utf8.count != 2 || !country.utf8.allSatisfy({ (65...90).contains($0) }) {
            throw SimulatedGraphError.invalidParameter("call_icons.restrict_to_user_countries: '\(country)' is not a country code")
        }
        for codec in update.audio?.additionalCodecs ?? [] where !["PCMA", "PCMU"].contains(codec) {
            throw SimulatedGraphError.invalidParameter("audio.additional_codecs: '\(codec)' is not PCMA or PCMU")
        }
        if let hours = update.callHours { try validate(hours) }
        return update
    }

    private static func check(_ field: String, _ value: String?, in allowed: Set<String>) throws {
        guard let value, !allowed.contains(value) else { return }
        throw SimulatedGraphError.invalidParameter("\(field) must be one of \(allowed.sorted().joined(separator: ", "))")
    }

    private static func validate(_ hours: CallHours) throws {
        try check("call_hours.status", hours.status, in: ["ENABLED", "DISABLED"])
        guard hours.isEnabled else { return }
        guard let zone = hours.timezoneID, TimeZone(identifier: zone) != nil else {
            throw SimulatedGraphError.invalidParameter("call_hours.timezone_id is missing or unknown")
        }
        var windows: [(String, Int, Int)] = []
        for entry in hours.weeklyOperatingHours ?? [] {
            guard CallHours.dayNames.contains(entry.dayOfWeek), let open = CallHours.minutes(entry.openTime),
                  let close = CallHours.minutes(entry.closeTime), open < close else {
                throw SimulatedGraphError.invalidParameter("call_hours.weekly_operating_hours: bad entry \(entry.dayOfWeek)")
            }
            if windows.contains(where: { $0.0 == entry.dayOfWeek && $0.1 < close && open < $0.2 }) {
                throw SimulatedGraphError.invalidParameter("call_hours.weekly_operating_hours: overlapping hours on \(entry.dayOfWeek)")
            }
            windows.append((entry.dayOfWeek, open, close))
        }
        for holiday in hours.holidaySchedule ?? [] {
            guard holiday.date.utf8.count == 10, let start = CallHours.minutes(holiday.startTime),
                  let end = CallHours.minutes(holiday.endTime), start < end else {
                throw SimulatedGraphError.invalidParameter("call_hours.holiday_schedule: bad entry \(holiday.date)")
            }
        }
    }
}
