import Foundation
import Prometheus
import SIP
import WhatsAppCloud

/// Signalling series: webhooks by outcome, SIP requests and responses by method,
/// class and direction, digest failures and lockouts, and registrations sampled at scrape.
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
        case .request(let method, let direction):
            sipRequests(method, direction).increment()
        case .response(let method, let status, let direction):
            sipResponses(method, SIPTrafficEvent.statusClass(status), direction).increment()
        case .authFailure:
            counter("wagate_sip_auth_failures_total", "Wrong digest responses for a known user or trunk").increment()
        case .lockout(let scope):
            counter("wagate_sip_auth_lockouts_total", "Authentication lockouts started, by scope (source, user)",
                    [("scope", scope)]).increment()
        }
    }

    /// Creates the signalling series at zero, so rate() and alerts see them before the first event.
    func zeroSignalling() {
        for direction in SIPTrafficDirection.allCases {
            for method in ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER"] {
                _ = sipRequests(method, direction)
            }
            for (method, statusClass) in [("INVITE", "1xx"), ("INVITE", "2xx"), ("INVITE", "4xx"), ("BYE", "2xx")] {
                _ = sipResponses(method, statusClass, direction)
            }
        }
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

    /// SIP requests by method, received (`in`) and sent (`out`); retransmissions are not counted.
    private func sipRequests(_ method: String, _ direction: SIPTrafficDirection) -> Counter {
        counter("wagate_sip_requests_total", "SIP requests by method and direction (in, out), without retransmissions",
                [("method", method), ("direction", direction.rawValue)])
    }

    /// SIP responses by the method answered and status class, received (`in`) and sent (`out`).
    private func sipResponses(_ method: String, _ statusClass: String, _ direction: SIPTrafficDirection) -> Counter {
        counter("wagate_sip_responses_total",
                "SIP responses by method answered, status class and direction (in, out), without retransmissions",
                [("method", method), ("class", statusClass), ("direction", direction.rawValue)])
    }

    /// Samples the registrar at each scrape: live contact bindings and users with at least one.
    func sampleRegistrations(_ registrar: Registrar) {
        let bindings = registrar.allBindings(now: Date().timeIntervalSince1970)
        gauge("wagate_registrations", "Live SIP registrations (contact bindings)").set(to: Double(bindings.count))
        gauge("wagate_registered_users", "SIP users with at least one live registration")
            .set(to: Double(Set(bindings.map(\.user)).count))
    }
}
