import Foundation
import Logging
import Store
import Testing
import WhatsAppCloud

/// The SQLite store: migrations, durable deliveries, dedup and late connects.
@Suite struct GatewayStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func delivery(_ events: [WebhookEvent], body: String = "{}") -> WebhookDelivery {
        WebhookDelivery(receivedAt: Date(timeIntervalSince1970: 1_745_000_000), body: Array(body.utf8),
                        signature: "sha256=00", events: events)
    }

    static let connect = WebhookEvent.callConnect(.init(callID: "wacid.A", direction: .userInitiated, from: "4477"))
    static let terminate = WebhookEvent.callTerminate(.init(callID: "wacid.A", status: .completed, duration: 3))
    static let ringing = WebhookEvent.callStatus(.init(callID: "wacid.B", status: .ringing))
    static let accepted = WebhookEvent.callStatus(.init(callID: "wacid.B", status: .accepted))

    @Test(arguments: StoreBackend.all) func migratesToTheLatestVersion(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await store.schemaVersion() == StoreMigrations.all.last?.version)
        try await store.close()
    }

    /// The gateway closes its store at shutdown, and the store's deinit closes what was never closed: a
    /// second close reached SQLite with a null handle (a segfault on every SIGTERM of a release build).
    @Test("closing twice, and dropping a closed store, close the connection once")
    func closesOnce() async throws {
        for _ in 0..<20 {
            var store: GatewayStore? = try await GatewayStore.open(.init(location: .memory), logger: quiet)
            try await store?.close()
            try await store?.close()
            store = nil
        }
        let kept = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        #expect(try await kept.schemaVersion() > 0)
        try await kept.close()
    }

    @Test(arguments: StoreBackend.all) func recordsDeliveriesAndDropsDuplicates(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await store.record(Self.delivery([Self.ringing])) == [Self.ringing])
        #expect(try await store.record(Self.delivery([Self.ringing, Self.accepted])) == [Self.accepted])
        #expect(try await store.record(Self.delivery([Self.accepted, Self.accepted])) == [])
        #expect(try await store.deliveryCount() == 2, "a delivery with nothing new is not stored")
        #expect(try await store.deliveryBodies().first == Array("{}".utf8))
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func terminateBeforeConnectSuppressesTheConnect(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await store.record(Self.delivery([Self.terminate])) == [Self.terminate])
        #expect(try await store.record(Self.delivery([Self.connect])) == [])
        let events = try await store.events(forCall: "wacid.A")
        #expect(events.map(\.kind) == ["terminate", "connect"])
        #expect(events.map(\.admitted) == [true, false])
        try await store.close()
    }

    @Test func survivesAReopen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-store-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(try await first.record(Self.delivery([Self.connect])) == [Self.connect])
        try await first.markProcessed([Self.connect.deduplicationKey])
        try await first.close()
        let second = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(try await second.record(Self.delivery([Self.connect])) == [])
        #expect(try await second.deliveryCount() == 1)
        try await second.close()
    }

    @Test(arguments: StoreBackend.all) func concurrentDuplicatesAdmitOnce(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await store.record(Self.delivery([Self.ringing])).count } }
            return try await group.reduce(0, +)
        }
        #expect(admitted == 1)
        try await store.close()
    }
}
