import Config
import Foundation
import Logging
import Store

/// This node's place in a cluster: its lease row, and what it last read of the
/// other nodes (used to route webhooks and pick the owner of a new call, and kept
/// when the store cannot be read, so routing goes on through a store outage).
actor ClusterMembership {
    let config: ClusterConfig
    let store: GatewayStore
    let logger: Logger
    /// A fresh value per run (and per rejoin), so a renewal from a run that was
    /// taken over never extends the new run's lease.
    private(set) var incarnation = UUID().uuidString
    /// The nodes as last read.
    private(set) var nodes: [ClusterNodeRow] = []
    /// This node's readiness and call count at the last heartbeat, plus the calls
    /// it took since.
    private var localReady = true
    private var localCalls = 0

    init(config: ClusterConfig, store: GatewayStore, logger: Logger) {
        self.config = config
        self.store = store
        self.logger = logger
    }

    var nodeID: String { config.nodeID }

    /// Writes this node's row (alive, ready) with a fresh incarnation and lease.
    func join(now: Date) async throws {
        incarnation = UUID().uuidString
        try await store.joinCluster(ClusterNodeRow(nodeID: config.nodeID, url: config.nodeURL, incarnation: incarnation,
                                                   ready: true, leaseUntil: now + Self.seconds(config.lease)), now: now)
        try? await refresh()
        logger.info("cluster node joined", metadata: ["node": "\(config.nodeID)", "node_url": "\(config.nodeURL)"])
    }

    /// Renews the lease; false when a survivor took this node over meanwhile.
    func renew(now: Date, ready: Bool, activeCalls: Int) async throws -> Bool {
        localReady = ready
        localCalls = activeCalls
        return try await store.renewLease(nodeID: config.nodeID, incarnation: incarnation,
                                   until: now + Self.seconds(config.lease), ready: ready, activeCalls: activeCalls)
    }

    /// Marks this run stopped (a clean shutdown).
    func leave() async throws {
        try await store.leaveCluster(nodeID: config.nodeID, incarnation: incarnation)
        logger.info("cluster node left", metadata: ["node": "\(config.nodeID)"])
    }

    /// Reads every node's row again.
    func refresh() async throws {
        nodes = try await store.clusterNodes()
    }

    /// Nodes alive by their lease at `now`, other than this one.
    func peers(now: Date) -> [ClusterNodeRow] {
        nodes.filter { $0.nodeID != config.nodeID && $0.state == "alive" && $0.leaseUntil > now }
    }

    /// Nodes whose lease ran out before `now` and that nobody took over yet.
    func expired(now: Date) -> [ClusterNodeRow] {
        nodes.filter { $0.nodeID != config.nodeID && $0.state == "alive" && $0.leaseUntil < now }
    }

    /// The URL of `node` when it is alive.
    func url(of node: String, now: Date) -> String? {
        peers(now: now).first { $0.nodeID == node }?.url
    }

    /// Who takes a new call from a WhatsApp user: this node while it is ready and
    /// carries no more calls than the least loaded ready peer; else that peer. A
    /// draining or dead node is never chosen; with no ready node, this one.
    /// Counts read at a heartbeat are raised here as calls are given out, so a
    /// burst between two heartbeats is spread too.
    func ownerForNewCall(now: Date) -> String {
        let candidates = peers(now: now).filter(\.ready).sorted {
            ($0.activeCalls, $0.nodeID) < ($1.activeCalls, $1.nodeID)
        }
        guard let best = candidates.first, !(localReady && localCalls <= best.activeCalls) else {
            localCalls += 1
            return config.nodeID
        }
        if let index = nodes.firstIndex(where: { $0.nodeID == best.nodeID }) { nodes[index].activeCalls += 1 }
        return best.nodeID
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
