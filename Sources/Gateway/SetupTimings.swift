import CallControl
import Foundation
import Prometheus
import Synchronization
import WhatsAppCloud

/// The time wagate itself adds to a business-initiated call's setup, per hop,
/// measured at the edges of the gateway (wall clock of this process):
///
/// - `invite_to_connect`: an authenticated INVITE handed up by the SIP stack →
///   the Graph `connect` request going out (digest, policy, dial plan,
///   permission lookup or cache, media ports, the WebRTC offer);
/// - `connect_webhook_to_200`: Meta's `connect` webhook with the SDP answer,
///   verified and stored → the SIP 200 handed to the stack (ICE and DTLS to
///   Meta's media server, which wagate completes before answering so the first
///   words are not clipped, and waiting for `ACCEPTED` if it comes later).
///
/// Exposed as Prometheus histograms on `GET /metrics` of the `[http]` listener.
/// Pending stamps are keyed by SIP Call-ID / wacid and bounded.
final class SetupTimings: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let inviteToConnect: DurationHistogram
    private let webhookTo200: DurationHistogram
    private let pending = Mutex(Pending())
    private let refreshers = Mutex<[@Sendable () -> Void]>([])

    /// Runs `refresh` before every exposition (gauges sampled at scrape time).
    func beforeExposition(_ refresh: @escaping @Sendable () -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    private struct Pending {
        var invites: [String: ContinuousClock.Instant] = [:]
        var webhooks: [String: ContinuousClock.Instant] = [:]
    }

    /// Stamps kept at most (calls that never reach the next hop are dropped oldest-first in bulk).
    static let capacity = 20_000
    static let buckets: [Duration] = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1_000,
                                      2_000, 5_000].map { .microseconds(Int64($0 * 1_000)) }

    init() {
        let name = MetricNameDescriptor(namespace: "wagate", metricName: "setup_hop", unitName: "seconds",
                                        helpText: "Time wagate adds to call setup, per hop")
        inviteToConnect = registry.makeDurationHistogram(descriptor: name, labels: [("hop", "invite_to_connect")],
                                                         buckets: Self.buckets)
        webhookTo200 = registry.makeDurationHistogram(descriptor: name, labels: [("hop", "connect_webhook_to_200")],
                                                      buckets: Self.buckets)
    }

    func inviteArrived(sipCallID: String) {
        let now = ContinuousClock.now
        pending.withLock { state in
            if state.invites.count >= Self.capacity { state.invites.removeAll(keepingCapacity: true) }
            state.invites[sipCallID] = now
        }
    }

    func connectSent(context: CallLogContext) {
        guard let id = context.sipCallID, let since = pending.withLock({ $0.invites.removeValue(forKey: id) }) else { return }
        inviteToConnect.record(ContinuousClock.now - since)
    }

    /// Business-initiated `connect` webhooks carry Meta's answer; the first one counts.
    func webhooksArrived(_ events: [WebhookEvent]) {
        let now = ContinuousClock.now
        for case .callConnect(let event) in events {
            pending.withLock { state in
                if state.webhooks.count >= Self.capacity { state.webhooks.removeAll(keepingCapacity: true) }
                if state.webhooks[event.callID] == nil { state.webhooks[event.callID] = now }
            }
        }
    }

    func okSent(context: CallLogContext) {
        guard let wacid = context.wacid?.rawValue,
              let since = pending.withLock({ $0.webhooks.removeValue(forKey: wacid) }) else { return }
        webhookTo200.record(ContinuousClock.now - since)
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] {
        for refresh in refreshers.withLock({ $0 }) { refresh() }
        return registry.emitToBuffer()
    }
}

/// Stamps webhook arrivals for `SetupTimings`, then hands the events on.
struct TimedWebhookSink: WebhookEventSink {
    let next: any WebhookEventSink
    let timings: SetupTimings

    func deliver(_ events: [WebhookEvent]) async {
        timings.webhooksArrived(events)
        await next.deliver(events)
    }
}
