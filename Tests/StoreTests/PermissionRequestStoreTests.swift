import Foundation
import Logging
import Store
import Testing

/// Meta's permission request limits counted in the shared store, on SQLite and
/// PostgreSQL: 1 per 24 hours and 2 per 7 days per user and number, found by any
/// of the user's identifiers, with refunds, holds and resets.
@Suite struct PermissionRequestStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400

    func claim(_ store: GatewayStore, _ id: String, keys: [String] = ["14085550001"], number: String = "111",
               at offset: TimeInterval) async throws -> Bool {
        try await store.claimPermissionRequest(PermissionRequestEntry(numberID: number, userKeys: keys, requestID: id),
                                               now: t0.addingTimeInterval(offset), perDay: 1, perWeek: 2)
    }

    @Test(arguments: StoreBackend.all) func oneADayTwoAWeekByAnyIdentifier(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await claim(store, "r1", keys: ["14085550001", "US.13491208655302741918"], at: 0))
        #expect(try await !claim(store, "r2", keys: ["US.13491208655302741918"], at: 3_600), "the same user by BSUID")
        #expect(try await claim(store, "r3", number: "222", at: 3_600), "another number counts apart")
        #expect(try await claim(store, "r4", at: day + 1))
        #expect(try await !claim(store, "r5", at: 2 * day + 2), "two in 7 days")
        #expect(try await claim(store, "r6", at: 7 * day + 1), "the first has aged out")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func refundsHoldsAndResets(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await claim(store, "r1", at: 0))
        try await store.refundPermissionRequest(numberID: "111", requestID: "r1")
        #expect(try await claim(store, "r2", at: 1), "a refunded request does not count")
        try await store.resetPermissionRequests(numberID: "111", userKeys: ["14085550001"])
        try await store.holdPermissionRequests(numberID: "111", userKeys: ["14085550001"],
                                               until: t0.addingTimeInterval(day))
        try await store.holdPermissionRequests(numberID: "111", userKeys: ["14085550001"],
                                               until: t0.addingTimeInterval(60))
        #expect(try await !claim(store, "r3", at: 3_600), "a shorter hold does not shorten the longer one")
        #expect(try await claim(store, "r4", at: day + 1), "the hold has lapsed")
        try await store.resetPermissionRequests(numberID: "111", userKeys: ["14085550001"])
        #expect(try await claim(store, "r5", at: day + 2), "a connected call starts the counts again")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func twoNodesAskingAtOnceSendOne(backend: StoreBackend) async throws {
        let settings = try await backend.settings()
        let one = try await GatewayStore.open(settings, logger: quiet)
        let two = settings.location == .memory ? one : try await GatewayStore.open(settings, logger: quiet)
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<6 {
                let store = index % 2 == 0 ? one : two
                group.addTask { try await self.claim(store, "r\(index)", at: 0) }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(granted == 1)
        try await one.close()
        if settings.location != .memory { try await two.close() }
    }
}

/// Work one node does for the cluster: the first claim within its window wins.
@Suite struct ClusterClaimStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: StoreBackend.all) func theFirstClaimWinsUntilItsWindowEnds(backend: StoreBackend) async throws {
        let settings = try await backend.settings()
        let one = try await GatewayStore.open(settings, logger: quiet)
        let two = settings.location == .memory ? one : try await GatewayStore.open(settings, logger: quiet)
        let won = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<6 {
                let store = index % 2 == 0 ? one : two
                group.addTask { try await store.claimOnce("callback:1", nodeID: "n\(index % 2)", now: self.t0, window: 120) }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(won == 1)
        #expect(try await one.claimOnce("callback:2", nodeID: "n0", now: t0, window: 120), "another key")
        #expect(try await !two.claimOnce("callback:1", nodeID: "n1", now: t0.addingTimeInterval(119), window: 120))
        #expect(try await two.claimOnce("callback:1", nodeID: "n1", now: t0.addingTimeInterval(121), window: 120))
        try await one.close()
        if settings.location != .memory { try await two.close() }
    }
}
