import AsyncHTTPClient
import CallControl
import Config
import Foundation
import Logging
import SIP
import ServiceLifecycle
import Store
import WhatsAppCloud

/// The cluster's parts, wired when `[cluster]` is configured (docs/cluster.md).
extension Gateway {
    /// Joins the cluster before any listener starts; nil on a single node.
    func joinCluster(store: GatewayStore) async throws -> ClusterMembership? {
        guard let cluster = config.cluster else { return nil }
        var clusterLogger = logger
        clusterLogger[metadataKey: "component"] = "cluster"
        let membership = ClusterMembership(config: cluster, store: store, logger: clusterLogger)
        try await membership.join(now: Date())
        return membership
    }

    /// The stored, unprocessed events this node replays at start: in a cluster, not
    /// those of calls another node owns (that node handles them).
    func ownBacklog(_ backlog: [WebhookEvent], store: GatewayStore, membership: ClusterMembership?) async
        -> [WebhookEvent] {
        guard let membership else { return backlog }
        let me = await membership.nodeID
        var own: [WebhookEvent] = []
        for event in backlog {
            if let wacid = event.callID, let owner = try? await store.callOwner(wacid: wacid), owner != me { continue }
            own.append(event)
        }
        return own
    }

    /// The webhook router of a cluster node.
    func webhookRouter(membership: ClusterMembership, store: GatewayStore, http: HTTPClient) -> any WebhookRouting {
        var routerLogger = logger
        routerLogger[metadataKey: "component"] = "cluster"
        return ClusterWebhookRouter(membership: membership, store: store,
                                    secret: config.cluster?.secret.reveal() ?? "", webhookPath: config.http.webhookPath,
                                    http: http, logger: routerLogger)
    }

    /// The heartbeat service in a cluster (none on a single node).
    func clusterServices(membership: ClusterMembership?, control: CallControl, store: GatewayStore,
                         records: StoreCallRecords) -> [any Service] {
        guard let membership, let cluster = config.cluster else { return [] }
        var clusterLogger = logger
        clusterLogger[metadataKey: "component"] = "cluster"
        return [ClusterService(membership: membership, control: control, store: store, records: records,
                               heartbeat: cluster.heartbeat, logger: clusterLogger)]
    }
}

/// Keeps the SIP stack's answer to OPTIONS in step with call control: 503 while
/// draining, so a dispatcher probing with OPTIONS (Kamailio) stops sending calls.
struct SIPReadinessService: Service, CustomStringConvertible {
    let control: CallControl
    let stack: SIPStack
    var description: String { "SIPReadinessService" }

    /// Listed before call control, so it is shut down after the drain and answers 503 throughout it.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            var accepting = true
            while !Task.isCancelled {
                let now = await !control.isDraining
                if now != accepting {
                    accepting = now
                    stack.send(.acceptingCalls(now))
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
