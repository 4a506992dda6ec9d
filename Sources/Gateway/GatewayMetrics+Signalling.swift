import Foundation
import Prometheus
import SIP
import WhatsAppCloud

/// Signalling series: webhooks by outcome, SIP requests and responses by method
/// and class, digest failures and lockouts, and registrations sampled at scrape.
extension GatewayMetrics {
    /// Counts one webhook delivery outcome (`count` events for duplicates).
    func webhook(_ outcome: WebhookOutcome, count: Int) {
        switch outcome {
        case .received:
            counter("wagate_webhooks_received_total", "Webhook POSTs received at the webhook path").increment()
        case .verified:
            counter("wagate_webhooks_verified_total", "Webhook POSTs whose signature matched the app secret")
                .increment()
        case .missingSignature, .badSignature, .malformed:
            counter("wagate_webhooks_rejected_total", "Webhook POSTs refused, by reason",
                    [("reason", outcome.rawValue)]).increment()
        case .duplicate:
            counter("wagate_webhook_events_duplicate_total",
                    "Webhook events already handled (Meta's retries), not handed on again")
                .increment(by: Int64(count))
        }
    }

    /// Counts one thing the SIP adapter saw.
    func sip(_ event: SIPTrafficEvent) {
        switch event {
        case .request(let method):
            counter("wagate_sip_requests_total", "SIP requests received, by method", [("method", method)]).increment()
        case .response(let method, let status):
            counter("wagate_sip_responses_total", "SIP responses received to wagate's requests, by method and class",
                    [("method", method), ("class", SIPTrafficEvent.statusClass(status))]).increment()
        case .authFailure:
            counter("wagate_sip_auth_failures_total", "Wrong digest responses for a known user or trunk").increment()
        case .lockout(let scope):
            counter("wagate_sip_auth_lockouts_total", "Authentication lockouts started, by scope (source, user)",
                    [("scope", scope)]).increment()
        }
    }

    /// Creates the signalling series at zero, so rate() and alerts see them before the first event.
    func zeroSignalling() {
        for method in ["INVITE", "REGISTER", "BYE", "CANCEL", "OPTIONS"] {
            _ = counter("wagate_sip_requests_total", "SIP requests received, by method", [("method", method)])
        }
        _ = counter("wagate_sip_responses_total", "SIP responses received to wagate's requests, by method and class",
                    [("method", "INVITE"), ("class", "2xx")])
        _ = counter("wagate_webhooks_received_total", "Webhook POSTs received at the webhook path")
        _ = counter("wagate_webhooks_verified_total", "Webhook POSTs whose signature matched the app secret")
        for reason in [WebhookOutcome.missingSignature, .badSignature, .malformed] {
            _ = counter("wagate_webhooks_rejected_total", "Webhook POSTs refused, by reason",
                        [("reason", reason.rawValue)])
        }
        _ = counter("wagate_webhook_events_duplicate_total",
                    "Webhook events already handled (Meta's retries), not handed on again")
        _ = counter("wagate_sip_auth_failures_total", "Wrong digest responses for a known user or trunk")
        for scope in ["source", "user"] {
            _ = counter("wagate_sip_auth_lockouts_total", "Authentication lockouts started, by scope (source, user)",
                        [("scope", scope)])
        }
    }

    /// Samples the registrar at each scrape: live contact bindings and users with at least one.
    func sampleRegistrations(_ registrar: Registrar) {
        let bindings = registrar.allBindings(now: Date().timeIntervalSince1970)
        gauge("wagate_registrations", "Live SIP registrations (contact bindings)").set(to: Double(bindings.count))
        gauge("wagate_registered_users", "SIP users with at least one live registration")
            .set(to: Double(Set(bindings.map(\.user)).count))
    }
}
