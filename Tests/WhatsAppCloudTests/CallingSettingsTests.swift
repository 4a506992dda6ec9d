import Foundation
import Testing
@testable import WhatsAppCloud

@Suite("calling settings JSON")
struct CallingSettingsTests {
    private func decode(_ json: String) throws -> PhoneNumberSettings {
        try JSONDecoder().decode(PhoneNumberSettings.self, from: Data(json.utf8))
    }

    @Test func metasFullDocumentReadsTyped() throws {
        let calling = try #require(try JSONDecoder().decode(
            PhoneNumberSettings.self, from: Fixtures.data("response_settings_get_full.json")).calling)
        #expect(calling.callIcons?.restrictToUserCountries == ["US", "BR"])
        #expect(calling.callHours?.timezoneID == "America/Manaus")
        #expect(calling.callHours?.weeklyOperatingHours?.first
            == .init(dayOfWeek: "MONDAY", openTime: "0400", closeTime: "1020"))
        #expect(calling.callHours?.holidaySchedule == [.init(date: "2026-01-01", startTime: "0000", endTime: "2359")])
        #expect(calling.sip?.servers?.first?.requestURIUserParams == ["tgrp": "wa", "trunk-context": "example"])
        #expect(calling.restrictions?.restrictionsList == [.init(type: "RESTRICTED_BIZ_INITIATED_CALLING", expiration: 1_796_000_000)])
        #expect(!calling.isSIPEnabled)
    }

    @Test func writtenBackItIsMetasShape() throws {
        var calling = try #require(try JSONDecoder().decode(
            PhoneNumberSettings.self, from: Fixtures.data("response_settings_get_full.json")).calling)
        let original = try Fixtures.json("response_settings_get_full.json")
        #expect(try Fixtures.encoded(PhoneNumberSettings(calling: calling))["calling"] == original["calling"])
        calling.restrictions = nil
        #expect(try Fixtures.encoded(calling)["restrictions"] == nil)
    }

    @Test func hostileShapesReadAsAbsentNotAsAFailure() throws {
        let odd = try decode("""
            {"calling":{"status":5,"call_hours":"always","call_icons":[1],"sip":{"servers":[{"port":1},{"hostname":"ok"}]},
             "audio":{"additional_codecs":["PCMA",7,null]},"restrictions":{"restrictions_list":[{},{"type":"X"}]},
             "call_icon_visibility":{"a":1}}}
            """).calling
        let calling = try #require(odd)
        #expect(calling.status == "5")
        #expect(calling.callHours == nil)
        #expect(calling.callIcons == nil)
        #expect(calling.callIconVisibility == nil)
        #expect(calling.sip?.servers == [.init(hostname: "ok")])
        #expect(calling.audio?.additionalCodecs == ["PCMA"])
        #expect(calling.restrictions?.restrictionsList == [.init(type: "X")])
        #expect(try decode(#"{"calling":"on"}"#).calling == nil)
        #expect(try decode(#"{"calling":{"call_hours":{"weekly_operating_hours":[{"day_of_week":"MONDAY"},7]}}}"#)
            .calling?.callHours?.weeklyOperatingHours == [])
    }

    @Test func subscribedAppsAndAppSubscriptionsRead() throws {
        let apps = try JSONDecoder().decode(GraphList<SubscribedApp>.self, from: Data("""
            {"data":[{"whatsapp_business_api_data":{"id":"67084","name":"Jaspers Market","link":"x"}},
                     {"whatsapp_business_api_data":{"name":"no id"}},
                     {"whatsapp_business_api_data":{"id":52565},"override_callback_uri":"https://alt.example/wh"}]}
            """.utf8)).data
        #expect(apps == [.init(id: "67084", name: "Jaspers Market"),
                         .init(id: "52565", overrideCallbackURI: "https://alt.example/wh")])
        let subscriptions = try JSONDecoder().decode(GraphList<AppSubscription>.self, from: Data("""
            {"data":[{"object":"whatsapp_business_account","callback_url":"https://x/wh","active":true,
                      "fields":[{"name":"calls","version":"v26.0"},"messages",3]}]}
            """.utf8)).data
        #expect(subscriptions == [.init(object: "whatsapp_business_account", callbackURL: "https://x/wh", fields: ["calls", "messages"])])
    }

    @Test func accountWebhooksDecodeLeniently() throws {
        let events = try WebhookDecoder.decode(Data("""
            {"object":"whatsapp_business_account","entry":[{"id":"2000","time":1796000000,"changes":[
              {"field":"account_update","value":{"phone_number":"15550001111","event":"ACCOUNT_VIOLATION",
               "violation_info":{"violation_type":"SCAM"}}},
              {"field":"account_settings_update","value":{"type":"calling","phone_number_settings":{"phone_number_id":"1001"}}},
              {"field":"account_update","value":7}]}]}
            """.utf8))
        guard case .account(let first) = events[0], case .account(let second) = events[1] else {
            Issue.record("expected account events, got \(events)")
            return
        }
        #expect(events.count == 2)
        #expect(first.field == "account_update" && first.event == "ACCOUNT_VIOLATION" && first.phoneNumber == "15550001111")
        #expect(first.wabaID == "2000" && first.timestamp == Date(timeIntervalSince1970: 1_796_000_000))
        #expect(first.detail.contains("SCAM"))
        #expect(second.event == "calling" && second.phoneNumberID == "1001")
        #expect(events[0].kind == "account_update" && events[0].deduplicationKey != events[1].deduplicationKey)
    }
}
