import Foundation
import Logging
@testable import Store

/// The engines the store's tests run against: SQLite always, and PostgreSQL when
/// `WAGATE_TEST_POSTGRES` names a server (`make unit-test` starts one), each test
/// on a database of its own.
enum StoreBackend: String, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite, and PostgreSQL when a server is given.
    static var all: [StoreBackend] {
        ProcessInfo.processInfo.environment["WAGATE_TEST_POSTGRES"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var description: String { rawValue }

    /// A new, empty store (in memory for SQLite; a new database for PostgreSQL).
    func open(logger: Logger) async throws -> GatewayStore {
        try await GatewayStore.open(settings(), logger: logger)
    }

    /// Settings for a new, empty store.
    func settings() async throws -> StoreSettings {
        switch self {
        case .sqlite:
            return StoreSettings(location: .memory)
        case .postgres:
            let base = try Self.server()
            let admin = try PostgresDriver(settings: base, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            var fresh = base
            fresh.database = "wagate_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            do {
                _ = try await admin.query("CREATE DATABASE \(fresh.database)", [])
            } catch {
                try? await admin.close()
                throw error
            }
            try await admin.close()
            return StoreSettings(location: .postgres(fresh))
        }
    }

    /// The server `WAGATE_TEST_POSTGRES` names.
    static func server() throws -> PostgresSettings {
        guard let url = ProcessInfo.processInfo.environment["WAGATE_TEST_POSTGRES"] else {
            throw StoreError.openFailed(location: "WAGATE_TEST_POSTGRES", reason: "not set")
        }
        return try PostgresSettings.parse(url).get()
    }
}
