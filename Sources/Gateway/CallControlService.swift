import CallControl
import Config
import Foundation
import Logging
import ServiceLifecycle
import Store
import WhatsAppCloud

/// Runs call control: at start, ends the calls a previous run left behind
/// (crash or `kill -9`: every orphaned WhatsApp call is terminated through the
/// API) and replays the webhook events that run stored but never handed to call
/// control; then feeds it the webhook events, marking each processed in the
/// store once call control has handled it; on SIGTERM it stops taking calls
/// (503), lets active calls finish for `drain_time`, then ends the rest on both
/// legs. Listed after the SIP and HTTP services so it is shut down first.
struct CallControlService: Service, CustomStringConvertible {
    let control: CallControl
    let events: AsyncStream<WebhookEvent>
    /// Events stored by a previous run but never processed, claimed at start.
    let backlog: [WebhookEvent]
    let store: GatewayStore
    let drainTime: Duration
    let logger: Logger
    var description: String { "CallControlService" }

    func run() async throws {
        await recoverOrphans()
        await replayBacklog()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events { await handle(event) }
                }
                group.addTask {
                    try? await gracefulShutdown()
                    await drain()
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            Task { await control.beginDrain() }
        }
    }

    /// Hands one event to call control, then marks it processed (a failed mark is
    /// counted by the store; the event would be replayed after a restart).
    private func handle(_ event: WebhookEvent) async {
        if case .callArtifact(let artifact) = event {
            await control.handleMetaArtifact(WebhookMapping.artifact(artifact))
        } else if let mapped = WebhookMapping.event(event) {
            await control.handleWebhook(mapped, number: WebhookMapping.number(event))
        }
        try? await store.markProcessed([event.deduplicationKey])
    }

    /// Hands on, in arrival order, what the previous run stored but never processed.
    private func replayBacklog() async {
        guard !backlog.isEmpty else { return }
        logger.notice("replaying unprocessed webhook events", metadata: ["events": "\(backlog.count)"])
        for event in backlog {
            logger.info("webhook event replayed", metadata: ["wacid": "\(event.callID ?? "-")",
                                                            "webhook.event": "\(event.kind)"])
            await handle(event)
        }
    }

    private func drain() async {
        let active = await control.activeCallCount
        logger.notice("draining calls", metadata: ["active": "\(active)", "drain_time": "\(drainTime)"])
        await control.drain(drainTime: drainTime)
    }

    /// Ends what a previous run left in progress; call control records each
    /// one ended through the `CallRecords` port, the only writer of call rows.
    private func recoverOrphans() async {
        let report = await control.recoverOrphans()
        guard report.total > 0 else { return }
        logger.notice("calls of the previous run cleaned up", metadata: ["calls": "\(report.total)",
                                                                          "report": "\(report)"])
    }
}
