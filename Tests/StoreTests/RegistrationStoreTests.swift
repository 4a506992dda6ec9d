import Foundation
import Logging
import Store
import Testing

/// Registrations survive a restart: saved per user, loaded back, deleted when empty.
@Suite struct RegistrationStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func savesReplacesLoadsAndDeletes() async throws {
        let path = NSTemporaryDirectory() + "wagate-reg-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var store = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        try await store.saveRegistrations(user: "alice", encodedBindings: Array("[1]".utf8))
        try await store.saveRegistrations(user: "alice", encodedBindings: Array("[2]".utf8))
        try await store.saveRegistrations(user: "bob", encodedBindings: Array("[3]".utf8))
        try await store.close()

        store = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        let loaded = try await store.loadRegistrations().sorted { $0.user < $1.user }
        #expect(loaded.map(\.user) == ["alice", "bob"])
        #expect(loaded.map { String(decoding: $0.encodedBindings, as: UTF8.self) } == ["[2]", "[3]"])
        try await store.saveRegistrations(user: "bob", encodedBindings: nil)
        #expect(try await store.loadRegistrations().map(\.user) == ["alice"])
        try await store.close()
    }
}
