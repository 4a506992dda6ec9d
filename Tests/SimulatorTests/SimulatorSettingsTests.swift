import AsyncHTTPClient
import Foundation
import NIOCore
import Simulator
import Testing
import WhatsAppCloud

/// Settings, subscriptions and restrictions in the simulator, through the real
/// Graph client: bad values are refused like Meta refuses them (400 / 100) and
/// change nothing; the health facts read what the simulator holds.
@Suite struct SimulatorSettingsTests {
    /// POSTs a raw settings body; returns the Graph error or nil on 200.
    func rawSettings(_ harness: Harness, _ json: String) async throws -> GraphError? {
        var request = HTTPClientRequest(url: harness.client.settings.url(for: "\(harness.simulator.settings.phoneNumberID)/settings"))
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer test-token")
        request.body = .bytes(ByteBuffer(bytes: Array(json.utf8)))
        let response = try await harness.client.httpClient.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code >= 400 else { return nil }
        return GraphJSON.graphError(status: Int(response.status.code), body: Data(bytes.readableBytesView))
    }

    @Test func badValuesAreRefusedAndChangeNothing() async throws {
        try await Harness.run { harness in
            let before = try await harness.client.callingSettings()
            for body in [
                #"{"calling":{"status":"ON"}}"#,
                #"{"calling":{"call_icon_visibility":"HIDDEN"}}"#,
                #"{"calling":{"call_hours":"always"}}"#,
                #"{"calling":{"call_hours":{"status":"ENABLED","timezone_id":"Mars/Olympus"}}}"#,
                #"{"calling":{"call_hours":{"status":"ENABLED","timezone_id":"UTC","weekly_operating_hours":[{"day_of_week":"MONDAY","open_time":"0900","close_time":"1700"},{"day_of_week":"MONDAY","open_time":"1600","close_time":"1800"}]}}}"#,
                #"{"calling":{"call_hours":{"status":"ENABLED","timezone_id":"UTC","weekly_operating_hours":[{"day_of_week":"FUNDAY","open_time":"0900","close_time":"1700"}]}}}"#,
                #"{"calling":{"audio":{"additional_codecs":["G729"]}}}"#,
                #"{"calling":{"call_icons":{"restrict_to_user_countries":["USA"]}}}"#,
                #"{"calling":{"restrictions":{"restrictions_list":[]}}}"#,
                #"{"calling":{"frobnicate":true}}"#,
                #"{"calling":5}"#,
            ] {
                let error = try await rawSettings(harness, body)
                #expect(error?.code == 100 && error?.httpStatus == 400, "\(body)")
            }
            #expect(try await harness.client.callingSettings() == before)
        }
    }

    @Test func goodValuesPersistAndCallHoursAreReplacedWhole() async throws {
        try await Harness.run { harness in
            let hours = CallHours(status: "ENABLED", timezoneID: "Europe/Berlin",
                                  weeklyOperatingHours: [.init(dayOfWeek: "MONDAY", openTime: "0900", closeTime: "1700")],
                                  holidaySchedule: [.init(date: "2026-12-25", startTime: "0000", endTime: "2359")])
            try await harness.client.updateCallingSettings(CallingSettings(
                callIconVisibility: "DISABLE_ALL", callIcons: .init(restrictToUserCountries: ["BR"]), callHours: hours))
            try await harness.client.updateCallingSettings(CallingSettings(callHours: CallHours(status: "DISABLED")))
            let settings = try await harness.client.callingSettings()
            #expect(settings.callIconVisibility == "DISABLE_ALL" && settings.callIcons?.restrictToUserCountries == ["BR"])
            #expect(settings.callHours == CallHours(status: "DISABLED"))
        }
    }

    @Test func healthFactsReadSubscriptionsWithTheAppToken() async throws {
        try await Harness.run { harness in
            let settings = harness.simulator.settings
            let facts = await harness.client.callingHealthFacts(wabaID: settings.wabaID, appID: settings.appID,
                                                                appSecret: Harness.secret)
            #expect(facts.settings?.isEnabled == true && facts.subscribedApps == [.init(id: settings.appID, name: "wagate sandbox")])
            #expect(facts.isSubscribed(to: "calls") == true && facts.isSubscribed(to: "messages") == true)
            let wrongSecret = await harness.client.callingHealthFacts(wabaID: nil, appID: settings.appID, appSecret: "nope")
            #expect(wrongSecret.appSubscriptionError?.contains("190") == true && wrongSecret.isSubscribed(to: "calls") == nil)
            #expect(CallingHealth.findings(facts, now: Date()).isEmpty)
        }
    }

    @Test func anUnreachableGraphIsAskedOnceAndSaidSo() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        let client = GraphClient(settings: GraphClientSettings(
            baseURL: "http://127.0.0.1:9", apiVersion: "v26.0", phoneNumberID: "1", accessToken: "t",
            requestTimeout: .seconds(2), maxRetries: 0), httpClient: http)
        let facts = await client.callingHealthFacts(wabaID: "2", appID: "3", appSecret: "s")
        #expect(facts.subscribedApps == nil && facts.subscribedAppsError == nil && facts.appSubscriptionError == nil)
        #expect(CallingHealth.findings(facts, now: Date()).map(\.code) == ["settings_unreadable"])
    }
}
