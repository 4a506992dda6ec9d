import Foundation
import Prometheus
import WhatsAppCloud

/// The calling health of each business number and Meta's account webhooks on
/// `GET /metrics`. Label values come from sip.conf (numbers) or from a fixed set
/// (fields, severities), never from webhook contents.
struct WhatsAppHealthMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    /// Shows one number's report.
    func record(_ report: NumberSettingsReport) {
        let number = report.target.name
        let facts = report.facts
        gauge("whatsapp_calling_enabled", "Calling status at Meta: 1 ENABLED, 0 not (or unreadable)",
              [("number", number)]).set(Double(facts.settings?.isEnabled == true ? 1 : 0))
        gauge("whatsapp_sip_enabled", "Meta's SIP interface on the number: 1 on (Graph calling off), 0 off",
              [("number", number)]).set(Double(facts.settings?.isSIPEnabled == true ? 1 : 0))
        gauge("whatsapp_calling_restrictions", "Restrictions Meta placed on the number's calling",
              [("number", number)]).set(Double(facts.settings?.restrictions?.restrictionsList.count ?? 0))
        for field in ["calls", "messages"] {
            let value: Double = switch facts.isSubscribed(to: field) {
            case true?: 1
            case false?: 0
            case nil: -1
            }
            gauge("whatsapp_subscribed", "App subscribed to the webhook field: 1 yes, 0 no, -1 not checked",
                  [("number", number), ("field", field)]).set(value)
        }
        for severity in [CallingFinding.Severity.critical, .warning, .info] {
            gauge("whatsapp_health_findings", "Findings of the last calling health check",
                  [("number", number), ("severity", severity.rawValue)])
                .set(Double(report.findings.filter { $0.severity == severity }.count))
        }
        gauge("whatsapp_settings_differences", "Calling settings that differ from sip.conf (wagate whatsapp apply)",
              [("number", number)]).set(Double(report.differences.count))
    }

    /// Counts an account webhook and stamps the number's latest one.
    func record(_ event: AccountEvent, number: String) {
        registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "wagate", metricName: "whatsapp_account_events", unitName: "total",
            helpText: "account_update and account_settings_update webhooks received"), labels: [("event", event.field)])
            .increment()
        gauge("whatsapp_account_last_event_timestamp_seconds", "When the number's latest account webhook arrived",
              [("number", number), ("event", event.field)]).set(Date().timeIntervalSince1970)
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "wagate", metricName: name, unitName: "",
                                                            helpText: help), labels: labels)
    }
}
