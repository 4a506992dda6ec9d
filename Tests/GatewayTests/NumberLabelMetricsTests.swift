// The `number` label follows the numbers call control serves: a number
// onboarded at runtime or added by a reload is labelled by its name, with its
// series at zero from the moment it is added; a removed one's calls fall back
// to `other`, and the label set stays bounded.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway

@Suite("Gateway: number labels follow added, removed and reloaded numbers")
struct NumberLabelMetricsTests {
    static let acme = RuntimeNumberTests.onboarded

    @Test("an onboarded number is labelled by its name from the moment it is added; its call counts there")
    func onboardedNumber() async throws {
        let metrics = GatewayMetrics(config: .twoNumbers)
        let harness = await GatewayHarness(config: .twoNumbers, metrics: metrics)
        harness.register("bob", host: "192.0.2.22")
        #expect(metricValue(metrics, #"wagate_calls_started_total{direction="inbound",number="acme"}"#) == nil)
        #expect(await harness.control.addNumber(Self.acme))
        metrics.follow(numbers: await harness.control.servedNumbers().numbers)
        for direction in ["inbound", "outbound"] {
            #expect(metricValue(metrics, #"wagate_calls_started_total{direction="\#(direction)",number="acme"}"#) == 0)
            #expect(metricValue(metrics, #"wagate_calls_active{direction="\#(direction)",number="acme"}"#) == 0)
        }
        await harness.webhook(.userCall(wacid: WACID("wacid.acme"), caller: .phone("4930123456", name: "Zoe"),
                                        number: WhatsAppNumberID("333"), offer: "meta-offer"))
        #expect(harness.stack.invites.count == 1)
        #expect(metricValue(metrics, #"wagate_calls_started_total{direction="inbound",number="acme"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_calls_active{direction="inbound",number="acme"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_calls_started_total{direction="inbound",number="other"}"#) == 0)
    }

    @Test("the per-number limit and permission counters render an onboarded number too, at zero")
    func handWrittenCounters() {
        let counters = NumberCounters(numberNames: GatewayConfig.twoNumbers.numbers.map(\.name))
        let metrics = GatewayMetrics(config: .twoNumbers, counters: counters)
        let text = { String(decoding: counters.exposition(), as: UTF8.self) }
        #expect(!text().contains(#"number="acme""#))
        metrics.follow(numbers: GatewayConfig.twoNumbers.numbers + [Self.acme])
        #expect(text().contains(#"wagate_number_limit_total{number="acme",limit="calls"} 0"#))
        counters.countRefusal(number: "acme", limit: .rate)
        #expect(text().contains(#"wagate_number_limit_total{number="acme",limit="rate"} 1"#))
        #expect(text().contains(#"wagate_permission_requests_total{number="acme""#))
    }

    @Test("a removed number's new calls are other; re-adding it reuses its series")
    func removedNumber() async throws {
        let metrics = GatewayMetrics(config: .twoNumbers)
        let served = GatewayConfig.twoNumbers.numbers
        metrics.follow(numbers: served + [Self.acme])
        #expect(metrics.numberLabel(WhatsAppNumberID("333")) == "acme")
        metrics.follow(numbers: served)
        #expect(metrics.numberLabel(WhatsAppNumberID("333")) == "other")
        #expect(metricValue(metrics, #"wagate_calls_started_total{direction="inbound",number="acme"}"#) == 0)
        metrics.follow(numbers: served + [Self.acme])
        #expect(metrics.numberLabel(WhatsAppNumberID("333")) == "acme")
    }

    @Test("a reload that renames a number labels its next calls by the new name")
    func reloadedNumber() {
        let metrics = GatewayMetrics(config: .twoNumbers)
        var renamed = GatewayConfig.twoNumbers.numbers
        let id = WhatsAppNumberID(renamed[0].phoneNumberID)
        #expect(metrics.numberLabel(id) == renamed[0].name)
        renamed[0].name = "front-desk"
        metrics.follow(numbers: renamed)
        #expect(metrics.numberLabel(id) == "front-desk")
        #expect(metricValue(metrics, #"wagate_calls_active{direction="outbound",number="front-desk"}"#) == 0)
    }

    @Test("the label set is bounded: numbers past the capacity are other")
    func bounded() {
        var labels = NumberLabels()
        let many = (0..<(NumberLabels.capacity + 5)).map { index in
            NumberConfig(name: "n\(index)", phoneNumberID: "\(1000 + index)", businessNumber: "+1555000\(index)",
                         wabaID: nil, accessToken: Secret("t"), inbound: nil, dialPrefix: "")
        }
        #expect(labels.follow(many).count == NumberLabels.capacity)
        #expect(labels.label(of: "1000") == "n0")
        #expect(labels.label(of: "\(1000 + NumberLabels.capacity)") == "other")
        #expect(labels.labelled.count == NumberLabels.capacity)
    }
}
