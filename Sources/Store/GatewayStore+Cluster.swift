public import Foundation

/// A cluster's shared state: node leases, the owner of each WhatsApp call, and
/// call slots that make limits hold across nodes (docs/cluster.md). Times are the
/// caller's clock; the nodes' clocks are expected to agree within a second (NTP).
extension GatewayStore {
    /// Writes this node's row for a new run: alive, a fresh incarnation and lease.
    /// A node that was taken over while away comes back alive; the calls that were
    /// taken over stay ended. Slots left by its earlier run are released.
    public func joinCluster(_ node: ClusterNodeRow, now: Date) async throws {
        await lock()
        defer { unlock() }
        try await counted(.cluster) {
            try await transaction("join cluster") {
                try await self.run("join cluster", """
                    INSERT INTO cluster_nodes (node_id, url, incarnation, state, ready, active_calls, started_at, lease_until)
                    VALUES (?, ?, ?, 'alive', ?, 0, ?, ?)
                    ON CONFLICT(node_id) DO UPDATE SET url = excluded.url, incarnation = excluded.incarnation,
                        state = 'alive', ready = excluded.ready, active_calls = 0, started_at = excluded.started_at,
                        lease_until = excluded.lease_until, taken_over_by = NULL, taken_over_at = NULL
                    """, [.text(node.nodeID), .text(node.url), .text(node.incarnation), .integer(node.ready ? 1 : 0),
                          .float(now.timeIntervalSince1970), .float(node.leaseUntil.timeIntervalSince1970)])
                try await self.run("release slots", "DELETE FROM call_slots WHERE node_id = ?", [.text(node.nodeID)])
            }
        }
    }

    /// Renews this run's lease; false when the node is no longer alive under this
    /// incarnation (a survivor took it over while it could not renew).
    public func renewLease(nodeID: String, incarnation: String, until: Date, ready: Bool, activeCalls: Int)
        async throws -> Bool {
        try await counted(.cluster) {
            let rows = try await run("renew lease", """
                UPDATE cluster_nodes SET lease_until = ?, ready = ?, active_calls = ?
                WHERE node_id = ? AND incarnation = ? AND state = 'alive' RETURNING node_id
                """, [.float(until.timeIntervalSince1970), .integer(ready ? 1 : 0), .integer(activeCalls),
                      .text(nodeID), .text(incarnation)])
            return !rows.isEmpty
        }
    }

    /// Marks this run of the node as stopped (a clean shutdown, its calls ended):
    /// no survivor takes it over, and no call is routed to it.
    public func leaveCluster(nodeID: String, incarnation: String) async throws {
        try await counted(.cluster) {
            _ = try await run("leave cluster", """
                UPDATE cluster_nodes SET state = 'stopped', ready = 0, active_calls = 0
                WHERE node_id = ? AND incarnation = ? AND state = 'alive'
                """, [.text(nodeID), .text(incarnation)])
        }
    }

    /// Every node's row, by name.
    public func clusterNodes() async throws -> [ClusterNodeRow] {
        try await counted(.cluster) {
            try await run("cluster nodes", "SELECT * FROM cluster_nodes ORDER BY node_id").map { row in
                ClusterNodeRow(nodeID: row.column("node_id")?.string ?? "", url: row.column("url")?.string ?? "",
                               incarnation: row.column("incarnation")?.string ?? "",
                               state: row.column("state")?.string ?? "", ready: row.column("ready")?.integer == 1,
                               activeCalls: row.column("active_calls")?.integer ?? 0,
                               leaseUntil: Date(timeIntervalSince1970: row.column("lease_until")?.double ?? 0),
                               takenOverBy: row.column("taken_over_by")?.string)
            }
        }
    }

    /// Marks `nodeID` dead if its lease ended before `now` and nobody took it over
    /// yet; true for the one caller that wins, which then ends the node's calls.
    /// Its slots are released at once, so its calls stop counting against limits.
    public func takeOver(nodeID: String, by survivor: String, now: Date) async throws -> Bool {
        await lock()
        defer { unlock() }
        return try await counted(.cluster) {
            var won = false
            try await transaction("take over") {
                let rows = try await self.run("take over", """
                    UPDATE cluster_nodes SET state = 'dead', taken_over_by = ?, taken_over_at = ?
                    WHERE node_id = ? AND state = 'alive' AND lease_until < ? RETURNING node_id
                    """, [.text(survivor), .float(now.timeIntervalSince1970), .text(nodeID),
                          .float(now.timeIntervalSince1970)])
                won = !rows.isEmpty
                if won { try await self.run("release slots", "DELETE FROM call_slots WHERE node_id = ?", [.text(nodeID)]) }
            }
            return won
        }
    }

    /// Records `nodeID` as the owner of WhatsApp call `wacid` unless one is recorded
    /// already; returns the owner now recorded (the first claim wins).
    public func claimCall(wacid: String, nodeID: String, now: Date) async throws -> String {
        try await counted(.cluster) {
            let rows = try await run("claim call", """
                INSERT INTO call_owners (wacid, node_id, claimed_at) VALUES (?, ?, ?)
                ON CONFLICT(wacid) DO UPDATE SET wacid = excluded.wacid RETURNING node_id
                """, [.text(wacid), .text(nodeID), .float(now.timeIntervalSince1970)])
            return rows.first?.column("node_id")?.string ?? nodeID
        }
    }

    /// The node that owns WhatsApp call `wacid`, if one claimed it.
    public func callOwner(wacid: String) async throws -> String? {
        try await counted(.cluster) {
            try await run("call owner", "SELECT node_id FROM call_owners WHERE wacid = ?", [.text(wacid)])
                .first?.column("node_id")?.string
        }
    }

    /// Takes one slot in each of `limits` for `callID` on `nodeID`, or none: returns
    /// the first scope already at its limit (nil when every slot was taken). Slots
    /// of nodes that are not alive do not count. On PostgreSQL each scope is locked
    /// (a transaction advisory lock, in a fixed order) while it is counted, so two
    /// nodes admitting at once cannot both take the last slot.
    public func takeSlots(callID: String, nodeID: String, limits: [CallSlotLimit], now: Date) async throws -> String? {
        guard !limits.isEmpty else { return nil }
        await lock()
        defer { unlock() }
        return try await counted(.cluster) {
            var refused: String?
            try await transaction("take slots") {
                for limit in limits.sorted(by: { $0.scope < $1.scope }) {
                    if self.dialect == .postgres {
                        try await self.run("lock scope", "SELECT pg_advisory_xact_lock(hashtext(?))", [.text(limit.scope)])
                    }
                    let rows = try await self.run("count slots", """
                        SELECT COUNT(*) AS n FROM call_slots s JOIN cluster_nodes n ON n.node_id = s.node_id
                        WHERE s.scope = ? AND n.state = 'alive' AND s.call_id <> ?
                        """, [.text(limit.scope), .text(callID)])
                    if rows.first?.column("n")?.integer ?? 0 >= limit.limit {
                        refused = limit.scope
                        return
                    }
                }
                for limit in limits {
                    try await self.run("take slot", """
                        INSERT INTO call_slots (scope, call_id, node_id, taken_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """, [.text(limit.scope), .text(callID), .text(nodeID), .float(now.timeIntervalSince1970)])
                }
            }
            return refused
        }
    }

    /// Frees every slot `callID` holds.
    public func releaseSlots(callID: String) async throws {
        try await counted(.cluster) {
            _ = try await run("release slots", "DELETE FROM call_slots WHERE call_id = ?", [.text(callID)])
        }
    }

    /// Slots held in `scope` by alive nodes.
    public func slotCount(scope: String) async throws -> Int {
        try await run("slot count", """
            SELECT COUNT(*) AS n FROM call_slots s JOIN cluster_nodes n ON n.node_id = s.node_id
            WHERE s.scope = ? AND n.state = 'alive'
            """, [.text(scope)]).first?.column("n")?.integer ?? 0
    }

    /// Claims `claim` for `nodeID`: true when no node claimed it within `window`
    /// before `now` (the claim is then this node's), false when one did. Claims
    /// older than a day are deleted here.
    public func claimOnce(_ claim: String, nodeID: String, now: Date, window: TimeInterval) async throws -> Bool {
        let nowSeconds = now.timeIntervalSince1970
        await lock()
        defer { unlock() }
        return try await counted(.cluster) {
            var claimed = false
            try await transaction("claim") {
                if self.dialect == .postgres {
                    try await self.run("lock claim", "SELECT pg_advisory_xact_lock(hashtext(?))", [.text("claim:" + claim)])
                }
                _ = try await self.run("prune claims", "DELETE FROM cluster_claims WHERE claimed_at < ?",
                                       [.float(nowSeconds - 86_400)])
                let rows = try await self.run("find claim", "SELECT claimed_at FROM cluster_claims WHERE claim = ?",
                                              [.text(claim)])
                if let at = rows.first?.column("claimed_at")?.double, nowSeconds - at < window { return }
                _ = try await self.run("claim", """
                    INSERT INTO cluster_claims (claim, node_id, claimed_at) VALUES (?, ?, ?)
                    ON CONFLICT (claim) DO UPDATE SET node_id = excluded.node_id, claimed_at = excluded.claimed_at
                    """, [.text(claim), .text(nodeID), .float(nowSeconds)])
                claimed = true
            }
            return claimed
        }
    }
}
