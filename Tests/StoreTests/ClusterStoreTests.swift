import Foundation
import Logging
import Store
import Testing

/// Node leases, call owners and call slots, on SQLite and PostgreSQL.
@Suite struct ClusterStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func node(_ id: String, incarnation: String = "1", until: TimeInterval) -> ClusterNodeRow {
        ClusterNodeRow(nodeID: id, url: "http://127.0.0.1:1/\(id)", incarnation: incarnation,
                       leaseUntil: t0.addingTimeInterval(until))
    }

    @Test(arguments: StoreBackend.all) func aSilentNodeIsTakenOverOnceAndComesBackAlive(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        try await store.joinCluster(node("a", until: 6), now: t0)
        try await store.joinCluster(node("b", until: 6), now: t0)
        #expect(try await store.renewLease(nodeID: "a", incarnation: "1", until: t0.addingTimeInterval(8), ready: true,
                                           activeCalls: 3))
        #expect(try await !store.takeOver(nodeID: "a", by: "b", now: t0.addingTimeInterval(7)), "lease still valid")
        #expect(try await store.takeOver(nodeID: "a", by: "b", now: t0.addingTimeInterval(9)))
        #expect(try await !store.takeOver(nodeID: "a", by: "c", now: t0.addingTimeInterval(9)), "taken over once")
        #expect(try await !store.renewLease(nodeID: "a", incarnation: "1", until: t0.addingTimeInterval(20), ready: true,
                                            activeCalls: 3), "a late renewal learns the node was taken over")
        let dead = try await store.clusterNodes().first { $0.nodeID == "a" }
        #expect(dead?.state == "dead" && dead?.takenOverBy == "b")
        try await store.joinCluster(node("a", incarnation: "2", until: 30), now: t0.addingTimeInterval(20))
        #expect(try await store.clusterNodes().first { $0.nodeID == "a" }?.state == "alive")
        #expect(try await !store.renewLease(nodeID: "a", incarnation: "1", until: t0.addingTimeInterval(40), ready: true,
                                            activeCalls: 0), "the earlier run's incarnation no longer renews")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func theFirstClaimOfACallWins(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await store.callOwner(wacid: "w1") == nil)
        #expect(try await store.claimCall(wacid: "w1", nodeID: "a", now: t0) == "a")
        #expect(try await store.claimCall(wacid: "w1", nodeID: "b", now: t0) == "a")
        #expect(try await store.callOwner(wacid: "w1") == "a")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func ownersArePrunedWithTheWebhookKeys(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        _ = try await store.claimCall(wacid: "old", nodeID: "a", now: t0)
        _ = try await store.claimCall(wacid: "new", nodeID: "a", now: t0.addingTimeInterval(3_600))
        let policy = RetentionPolicy(callRecords: nil, webhookBodies: .seconds(60), webhookEvents: .seconds(1_800))
        let report = try await store.applyRetention(policy, now: t0.addingTimeInterval(3_700))
        #expect(report.callOwnersDeleted == 1)
        #expect(try await store.callOwner(wacid: "old") == nil)
        #expect(try await store.callOwner(wacid: "new") == "a")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func slotsHoldALimitAcrossNodesAndDeadNodesStopCounting(backend: StoreBackend) async throws {
        let settings = try await backend.settings()
        let one = try await GatewayStore.open(settings, logger: quiet)
        // A second connection stands for a second node (the same database for PostgreSQL).
        let two = settings.location == .memory ? one : try await GatewayStore.open(settings, logger: quiet)
        try await one.joinCluster(node("a", until: 6), now: t0)
        try await two.joinCluster(node("b", until: 6), now: t0)
        let limits = [CallSlotLimit(scope: "number:1", limit: 3), CallSlotLimit(scope: "owner:trunk:k", limit: 10)]
        // Six calls admitted at once over two nodes: exactly three get slots.
        let refusals = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<6 {
                let store = index % 2 == 0 ? one : two
                group.addTask {
                    try await store.takeSlots(callID: "c\(index)", nodeID: index % 2 == 0 ? "a" : "b", limits: limits,
                                              now: self.t0)
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(refusals.filter { $0 == nil }.count == 3)
        #expect(refusals.compactMap { $0 }.allSatisfy { $0 == "number:1" })
        #expect(try await one.slotCount(scope: "number:1") == 3)
        let held = try await two.slotCount(scope: "owner:trunk:k")
        #expect(held == 3)
        // Releasing one frees its slot.
        for index in 0..<6 { try await one.releaseSlots(callID: "c\(index)") }
        #expect(try await one.slotCount(scope: "number:1") == 0)
        // A node taken over stops counting at once.
        #expect(try await two.takeSlots(callID: "x", nodeID: "b", limits: limits, now: t0) == nil)
        #expect(try await one.takeOver(nodeID: "b", by: "a", now: t0.addingTimeInterval(7)))
        #expect(try await one.slotCount(scope: "number:1") == 0)
        try await one.close()
        if settings.location != .memory { try await two.close() }
    }
}
