import Config
import Foundation
import Logging
import Store
import Testing
@testable import Gateway

/// Who takes a new call from a WhatsApp user, from the lease rows (SQLite stands in
/// for the shared store: the statements are the same).
@Suite struct ClusterMembershipTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func membership(_ store: GatewayStore) -> ClusterMembership {
        ClusterMembership(config: ClusterConfig(nodeID: "me", nodeURL: "http://127.0.0.1:1", secret: Secret("s")),
                          store: store, logger: quiet)
    }

    func peer(_ id: String, ready: Bool, calls: Int, store: GatewayStore, now: Date) async throws {
        try await store.joinCluster(ClusterNodeRow(nodeID: id, url: "http://127.0.0.1:2/\(id)", incarnation: id,
                                                   leaseUntil: now.addingTimeInterval(6)), now: now)
        _ = try await store.renewLease(nodeID: id, incarnation: id, until: now.addingTimeInterval(6), ready: ready,
                                       activeCalls: calls)
    }

    @Test func theLeastLoadedReadyNodeTakesTheCallAndThisOneOnATie() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let now = Date()
        let me = membership(store)
        try await me.join(now: now)
        try await peer("busy", ready: true, calls: 9, store: store, now: now)
        try await peer("idle", ready: true, calls: 2, store: store, now: now)
        try await peer("draining", ready: false, calls: 0, store: store, now: now)
        try await me.refresh()
        _ = try await me.renew(now: now, ready: true, activeCalls: 2)
        #expect(await me.ownerForNewCall(now: now) == "me", "a tie stays here")
        #expect(await me.ownerForNewCall(now: now) == "idle", "the call just taken counts here")
        _ = try await me.renew(now: now, ready: false, activeCalls: 0)
        #expect(await me.ownerForNewCall(now: now) == "idle", "a draining node gives every new call away")
        #expect(await me.url(of: "draining", now: now) == "http://127.0.0.1:2/draining")
        #expect(await me.url(of: "idle", now: now.addingTimeInterval(7)) == nil, "a lease run out is not a peer")
        #expect(await me.expired(now: now.addingTimeInterval(7)).map(\.nodeID).sorted() == ["busy", "draining", "idle"])
        try await store.close()
    }
}
