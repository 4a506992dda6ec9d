import Foundation
import Testing
@testable import WhatsAppCloud

@Suite("calling settings comparer")
struct CallingSettingsComparerTests {
    static let hours = CallHours(
        status: "ENABLED", timezoneID: "Europe/Berlin",
        weeklyOperatingHours: [.init(dayOfWeek: "MONDAY", openTime: "0900", closeTime: "1700"),
                               .init(dayOfWeek: "TUESDAY", openTime: "0900", closeTime: "1700")],
        holidaySchedule: [.init(date: "2026-12-25", startTime: "0000", endTime: "2359")])
    static let meta = CallingSettings(status: "ENABLED", callIconVisibility: "DEFAULT", callbackPermissionStatus: "DISABLED",
                                      sip: .init(status: "DISABLED"), srtpKeyExchangeProtocol: "DTLS")

    @Test func onlyWantedFieldsAreComparedAndTheBodyHoldsOnlyTheDifferences() throws {
        let desired = CallingSettings(callIconVisibility: "default", callHours: Self.hours, callbackPermissionStatus: "ENABLED",
                                      audio: .init(additionalCodecs: ["PCMU"]))
        let differences = CallingSettingsComparer.differences(desired: desired, current: Self.meta)
        #expect(differences.map(\.field) == ["call_hours", "callback_permission_status", "audio.additional_codecs"])
        #expect(differences[1].description == "callback_permission_status: DISABLED -> ENABLED")
        #expect(differences[0].desired == "ENABLED Europe/Berlin MON 0900-1700, TUE 0900-1700; closed 2026-12-25 0000-2359")
        let update = try #require(CallingSettingsComparer.update(desired: desired, current: Self.meta))
        #expect(update == CallingSettings(callHours: Self.hours, callbackPermissionStatus: "ENABLED",
                                          audio: .init(additionalCodecs: ["PCMU"])))
        #expect(try Fixtures.encoded(update).objectKeys == ["audio", "call_hours", "callback_permission_status"])
    }

    @Test func applyingTheUpdateLeavesNoDifference() throws {
        let desired = CallingSettings(status: "ENABLED", callIcons: .init(restrictToUserCountries: ["BR", "US"]),
                                      callHours: Self.hours, audio: .init(additionalCodecs: ["PCMA", "PCMU"]))
        var current = Self.meta
        let update = try #require(CallingSettingsComparer.update(desired: desired, current: current))
        current.callIcons = update.callIcons
        current.callHours = update.callHours
        current.audio = update.audio
        #expect(CallingSettingsComparer.differences(desired: desired, current: current).isEmpty)
        #expect(CallingSettingsComparer.update(desired: desired, current: current) == nil)
    }

    @Test func valuesCompareAsMetaMeansThem() {
        var current = Self.meta
        current.callIcons = .init(restrictToUserCountries: ["us", "BR", "US"])
        current.callHours = CallHours(status: "enabled", timezoneID: "Europe/Berlin",
                                      weeklyOperatingHours: Self.hours.weeklyOperatingHours?.reversed().map {
                                          .init(dayOfWeek: $0.dayOfWeek.lowercased(), openTime: $0.openTime, closeTime: $0.closeTime)
                                      }, holidaySchedule: Self.hours.holidaySchedule)
        let desired = CallingSettings(status: "enabled", callIcons: .init(restrictToUserCountries: ["BR", "US"]),
                                      callHours: Self.hours, audio: .init(additionalCodecs: []))
        #expect(CallingSettingsComparer.differences(desired: desired, current: current).isEmpty)
        // Hours not enforced are equal whatever schedule Meta kept.
        current.callHours?.status = "DISABLED"
        #expect(CallingSettingsComparer.differences(desired: .init(callHours: .init(status: "DISABLED")), current: current).isEmpty)
        #expect(CallingSettingsComparer.differences(desired: desired, current: current).map(\.field) == ["call_hours"])
    }

    @Test func nothingWantedMeansNothingToDo() {
        #expect(CallingSettingsComparer.differences(desired: CallingSettings(), current: Self.meta).isEmpty)
        #expect(CallingSettingsComparer.update(desired: CallingSettings(), current: CallingSettings()) == nil)
    }
}

extension JSONValue {
    /// The sorted keys of an object (empty for anything else).
    var objectKeys: [String] {
        if case .object(let members) = self { return members.keys.sorted() }
        return []
    }
}
