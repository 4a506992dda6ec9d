// The calling health check's metrics, as /metrics shows them.

import Config
import Foundation
import Prometheus
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway

@Suite("Gateway: WhatsApp calling health metrics")
struct WhatsAppHealthMetricsTests {
    private let target = GatewayConfig.test().settingsTargets()[0]

    private func exposition(_ registry: PrometheusCollectorRegistry) -> String {
        String(decoding: registry.emitToBuffer(), as: UTF8.self)
    }

    @Test("a report sets the per-number gauges; a later report replaces them")
    func reportsBecomeGauges() {
        let registry = PrometheusCollectorRegistry()
        let metrics = WhatsAppHealthMetrics(registry: registry)
        let facts = CallingHealthFacts(
            settings: CallingSettings(status: "DISABLED", restrictions: .init(restrictionsList: [.init(type: "X")])),
            appSubscription: .init(object: "whatsapp_business_account", fields: ["messages"]), appID: "3")
        let findings = CallingHealth.findings(facts, now: Date())
        metrics.record(NumberSettingsReport(target: target, facts: facts, findings: findings, differences: []))
        let text = exposition(registry)
        let number = target.name
        #expect(text.contains(#"wagate_whatsapp_calling_enabled{number="\#(number)"} 0"#))
        #expect(text.contains(#"wagate_whatsapp_calling_restrictions{number="\#(number)"} 1"#))
        #expect(text.contains(#"wagate_whatsapp_subscribed{number="\#(number)",field="calls"} 0"#))
        #expect(text.contains(#"wagate_whatsapp_subscribed{number="\#(number)",field="messages"} 1"#))
        #expect(text.contains(#"wagate_whatsapp_health_findings{number="\#(number)",severity="critical"} 3"#))

        let healthy = CallingHealthFacts(settings: CallingSettings(status: "ENABLED"))
        metrics.record(NumberSettingsReport(target: target, facts: healthy, findings: [], differences: []))
        let after = exposition(registry)
        #expect(after.contains(#"wagate_whatsapp_calling_enabled{number="\#(number)"} 1"#))
        #expect(after.contains(#"wagate_whatsapp_subscribed{number="\#(number)",field="calls"} -1"#))
        #expect(after.contains(#"wagate_whatsapp_health_findings{number="\#(number)",severity="critical"} 0"#))
    }

    @Test("account webhooks are counted per field, whatever event they carry")
    func accountEventsAreCounted() {
        let registry = PrometheusCollectorRegistry()
        let metrics = WhatsAppHealthMetrics(registry: registry)
        for event in ["ACCOUNT_VIOLATION", "weird \"label\" text", "VERIFIED_ACCOUNT"] {
            metrics.record(AccountEvent(field: "account_update", event: event), number: target.name)
        }
        metrics.record(AccountEvent(field: "account_settings_update"), number: target.name)
        let text = exposition(registry)
        #expect(text.contains(#"wagate_whatsapp_account_events_total{event="account_update"} 3"#))
        #expect(text.contains(#"wagate_whatsapp_account_events_total{event="account_settings_update"} 1"#))
        #expect(!text.contains("weird"))
    }
}
