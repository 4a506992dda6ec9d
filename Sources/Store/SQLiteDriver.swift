import Logging
import NIOCore
import SQLiteNIO
import Synchronization

/// ``SQLDriver`` over one sqlite-nio connection (SQLite serialises writers anyway).
final class SQLiteDriver: SQLDriver {
    let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    /// Set once the connection is closed: sqlite-nio's close of a closed connection
    /// reaches SQLite with a null handle (a segfault in a release build), so `deinit`
    /// closes only what was never closed.
    private let closed = Atomic<Bool>(false)

    /// Opens (creating if needed) the database at `storage`.
    init(storage: SQLiteConnection.Storage, logger: Logger) async throws {
        connection = try await SQLiteConnection.open(storage: storage, logger: logger)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows = try await connection.query(sql, binds.map(Self.data))
        return rows.map { row in
            var values: [String: SQLValue] = [:]
            for column in row.columns { values[column.name] = Self.value(column.data) }
            return SQLRow(values)
        }
    }

    func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try await connection.close()
    }

    /// A driver dropped without ``close()`` (a failed start, a failed test) closes its
    /// connection on sqlite-nio's thread pool, which keeps the connection alive until then.
    deinit {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = connection.close()
    }

    private static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let integer): .integer(integer)
        case .float(let float): .float(float)
        case .text(let text): .text(text)
        case .blob(let blob): .blob(blob)
        }
    }

    private static func value(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .null: .null
        case .integer(let integer): .integer(integer)
        case .float(let float): .float(float)
        case .text(let text): .text(text)
        case .blob(let blob): .blob(blob)
        }
    }
}
