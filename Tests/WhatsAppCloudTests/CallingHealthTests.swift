import Foundation
import Testing
@testable import WhatsAppCloud

@Suite("calling health findings")
struct CallingHealthTests {
    /// Monday 2026-12-07 10:00 in Berlin (09:00 UTC).
    static let mondayMorning = Date(timeIntervalSince1970: 1_796_634_000)
    static let healthy = CallingHealthFacts(
        settings: CallingSettings(status: "ENABLED", sip: .init(status: "DISABLED")),
        subscribedApps: [.init(id: "3")], appSubscription: .init(object: "whatsapp_business_account", fields: ["calls", "messages"]),
        appID: "3")

    private func codes(_ facts: CallingHealthFacts, now: Date = mondayMorning) -> [String] {
        CallingHealth.findings(facts, now: now).map(\.code)
    }

    @Test func aHealthyNumberHasNoFindings() {
        #expect(codes(Self.healthy).isEmpty)
    }

    @Test func whatBreaksCallsIsCritical() {
        var facts = Self.healthy
        facts.settings?.status = "DISABLED"
        facts.settings?.sip = .init(status: "ENABLED")
        facts.settings?.restrictions = .init(restrictionsList: [.init(type: "RESTRICTED_BIZ_INITIATED_CALLING")])
        facts.appSubscription?.fields = ["messages"]
        facts.subscribedApps = [.init(id: "9")]
        let findings = CallingHealth.findings(facts, now: Self.mondayMorning)
        #expect(findings.map(\.code) == ["calling_disabled", "sip_mode_enabled", "calling_restricted",
                                         "app_not_subscribed", "calls_not_subscribed"])
        #expect(findings.allSatisfy { $0.severity == .critical })
        #expect(CallingHealth.findings(facts, usesGraph: false, now: Self.mondayMorning).map(\.code).contains("sip_mode_enabled") == false)
    }

    @Test func anUnknownNumberIsNamedAsSuch() {
        let error = WhatsAppCloudError.graph(GraphError(code: 100, httpStatus: 400, message: "(#100) Object with ID '1' does not exist"))
        #expect(codes(CallingHealthFacts(settingsError: error)).first == "number_not_found")
        #expect(codes(CallingHealthFacts(settingsError: .timeout(path: "1/settings", outcomeUnknown: false)))
            == ["settings_unreadable"])
    }

    @Test func callHoursClosedNowIsAWarning() {
        var facts = Self.healthy
        facts.settings?.callHours = CallHours(
            status: "ENABLED", timezoneID: "Europe/Berlin",
            weeklyOperatingHours: [.init(dayOfWeek: "MONDAY", openTime: "1100", closeTime: "1700")])
        let findings = CallingHealth.findings(facts, now: Self.mondayMorning)
        #expect(findings.map(\.code) == ["call_hours_closed"] && findings[0].severity == .warning)
        facts.settings?.callHours?.timezoneID = "Mars/Olympus"
        #expect(codes(facts) == ["call_hours_unknown_zone"])
    }

    @Test func unconfiguredIdsAreReportedNotGuessed() {
        let facts = CallingHealthFacts(settings: Self.healthy.settings)
        let findings = CallingHealth.findings(facts, now: Self.mondayMorning)
        #expect(findings.map(\.code) == ["waba_unknown", "app_unknown"])
        #expect(findings.allSatisfy { $0.severity == .info })
        var missing = Self.healthy
        missing.appSubscription = nil
        missing.appSubscriptionError = CallingHealthFacts.noWhatsAppSubscription
        #expect(codes(missing) == ["calls_not_subscribed", "messages_not_subscribed"])
        missing.appSubscriptionError = "timeout on 3/subscriptions"
        #expect(codes(missing) == ["app_subscriptions_unreadable"])
        #expect(missing.isSubscribed(to: "calls") == nil)
    }
}

@Suite("call hours")
struct CallHoursTests {
    static let hours = CallHours(
        status: "ENABLED", timezoneID: "Europe/Berlin",
        weeklyOperatingHours: [.init(dayOfWeek: "MONDAY", openTime: "0900", closeTime: "1700"),
                               .init(dayOfWeek: "SUNDAY", openTime: "2000", closeTime: "2359")],
        holidaySchedule: [.init(date: "2026-12-14", startTime: "0000", endTime: "2359")])

    private func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso) ?? .distantPast }

    @Test func openAndClosedFollowTheZone() {
        #expect(Self.hours.isOpen(at: at("2026-12-07T08:30:00Z")) == true)   // Monday 09:30 Berlin
        #expect(Self.hours.isOpen(at: at("2026-12-07T07:30:00Z")) == false)  // Monday 08:30 Berlin
        #expect(Self.hours.isOpen(at: at("2026-12-07T16:00:00Z")) == false)  // Monday 17:00: closing time
        #expect(Self.hours.isOpen(at: at("2026-12-06T22:59:30Z")) == true)   // Sunday 23:59:30: 2359 runs to midnight
    }

    @Test func holidaysCloseAndDisabledHoursAreAlwaysOpen() {
        #expect(Self.hours.isOpen(at: at("2026-12-14T10:00:00Z")) == false)  // a Monday, but a holiday
        #expect(CallHours(status: "DISABLED").isOpen(at: at("2026-12-14T10:00:00Z")) == true)
        #expect(CallHours.minutes("2400") == nil && CallHours.minutes("0960") == nil && CallHours.minutes("12:00") == nil)
        #expect(CallHours.minutes("2359") == 1439)
    }
}
