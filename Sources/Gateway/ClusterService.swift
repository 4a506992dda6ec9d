import CallControl
import Config
import Foundation
import Logging
import ServiceLifecycle
import Store

/// A cluster node's heartbeat (docs/cluster.md). Every `[cluster] heartbeat` it:
/// - renews its lease, with whether it takes calls (not while draining) and how
///   many it carries, which the other nodes read to pick owners of new calls;
/// - reads the other nodes, and takes over any whose lease ran out: the one
///   survivor that marks it dead terminates its WhatsApp calls through the Graph
///   API, closes their CDRs with `node_failed`, and frees their slots;
/// - when its own renewal fails because a survivor took it over (it was cut off
///   for longer than the lease), ends its own calls, whose WhatsApp legs were
///   already terminated, and joins again with a new incarnation.
///
/// Joining happens before the webhook receiver and the SIP listener start (the
/// composition layer calls ``join()``), so a node is never routed to before its row exists.
struct ClusterService: Service, CustomStringConvertible {
    let membership: ClusterMembership
    let control: CallControl
    let store: GatewayStore
    let records: StoreCallRecords
    let heartbeat: Duration
    let logger: Logger
    var description: String { "ClusterService" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await beat(now: Date())
                try? await Task.sleep(for: heartbeat)
            }
        }
        // Shut down after call control (listed before it), so the lease was renewed
        // through the whole drain; the calls are ended now, nothing is left to take over.
        try? await membership.leave()
    }

    /// One heartbeat.
    func beat(now: Date) async {
        let ready = await !control.isDraining
        let active = await control.activeCallCount
        do {
            if try await !membership.renew(now: now, ready: ready, activeCalls: active) {
                await rejoinAfterTakeover(now: now)
            }
            try await membership.refresh()
        } catch {
            // The store is away: the lease cannot be renewed, and no node can take
            // another over either (that needs the store too), so calls go on.
            return
        }
        for node in await membership.expired(now: now) {
            await takeOver(node, now: now)
        }
    }

    /// Ends the calls of `node` if this node is the survivor that marks it dead.
    private func takeOver(_ node: ClusterNodeRow, now: Date) async {
        let me = await membership.nodeID
        guard (try? await store.takeOver(nodeID: node.nodeID, by: me, now: now)) == true else { return }
        let rows = (try? await store.callsInProgress(node: node.nodeID)) ?? []
        logger.error("cluster node taken over: its lease ran out", metadata: [
            "node": "\(node.nodeID)", "calls": "\(rows.count)",
            "lease_until": "\(node.leaseUntil.timeIntervalSince1970)",
        ])
        let report = await control.recoverOrphans(
            StoreCallRecords.orphans(rows),
            ending: CallEnding(reason: .nodeFailed, endedBy: .gateway, detail: "node \(node.nodeID) stopped renewing its lease"))
        logger.notice("calls of a dead node ended", metadata: ["node": "\(node.nodeID)", "report": "\(report)"])
    }

    /// This node was taken over while it could not renew: its WhatsApp calls were
    /// terminated by a survivor, so the SIP legs here are ended too, and the node
    /// joins again. Calls taken over are never resumed.
    private func rejoinAfterTakeover(now: Date) async {
        logger.error("this node was taken over by another while it could not renew its lease; ending its calls")
        await records.forgetKept()
        await control.endAllCalls()
        do {
            try await membership.join(now: now)
        } catch {
            logger.warning("could not join the cluster again", metadata: ["error": "\(error)"])
        }
    }
}
