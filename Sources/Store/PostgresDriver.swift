import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// ``SQLDriver`` over one PostgresNIO connection, opened again after the server
/// went away: a statement that meets a lost connection fails (the store counts
/// it, callers retry), and the next statement connects anew. One connection, as
/// with SQLite: the store serialises multi-statement work itself, and a node's
/// store traffic (a few statements per call step) fits one connection easily.
actor PostgresDriver: SQLDriver {
    nonisolated let dialect = SQLDialect.postgres
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private var connection: PostgresConnection?
    private var connecting: Task<PostgresConnection, any Error>?
    private var closed = false
    private var nextID = 0

    /// A driver for `settings`; the first statement connects (``connect()`` checks it at start).
    init(settings: PostgresSettings, logger: Logger) throws {
        configuration = try settings.connectionConfiguration()
        self.logger = logger
    }

    /// Connects now, so a wrong address or password fails the start with its reason.
    func connect() async throws {
        _ = try await current()
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let connection = try await current()
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds { Self.append(bind, to: &bindings) }
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings),
                                                  logger: logger).collect()
            return rows.map(Self.row)
        } catch {
            if connection.isClosed, self.connection === connection { self.connection = nil }
            throw error
        }
    }

    func close() async throws {
        closed = true
        connecting?.cancel()
        if let connection { try await connection.close().get() }
        connection = nil
    }

    /// A driver dropped without ``close()`` (a failed start, a failed test) still
    /// closes its connection (PostgresNIO asserts that every connection is closed).
    /// The task keeps the connection until it is closed.
    deinit {
        if let connection { Task { try? await connection.close() } }
    }

    /// The open connection, or a new one (one attempt at a time).
    private func current() async throws -> PostgresConnection {
        if closed { throw StoreError.queryFailed(operation: "connect", reason: "store closed") }
        if let connection, !connection.isClosed { return connection }
        if let connecting { return try await connecting.value }
        nextID += 1
        let task = Task { [configuration, logger, nextID] in
            try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
        }
        connecting = task
        defer { connecting = nil }
        let opened = try await task.value
        connection = opened
        return opened
    }

    /// `sql` with its `?` placeholders numbered `$1`, `$2`… (PostgreSQL's form); a `?`
    /// inside a quoted string or identifier is left alone.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var quote: Character?
        var index = 0
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func append(_ value: SQLValue, to bindings: inout PostgresBindings) {
        switch value {
        case .null: bindings.appendNull()
        case .integer(let integer): bindings.append(integer)
        case .float(let float): bindings.append(float)
        case .text(let text): bindings.append(text)
        case .blob(let blob): bindings.append(blob)
        }
    }

    private static func row(_ row: PostgresRow) -> SQLRow {
        var values: [String: SQLValue] = [:]
        for cell in row { values[cell.columnName] = value(cell) }
        return SQLRow(values)
    }

    /// A cell as a ``SQLValue`` by its type; a value that does not decode is NULL.
    private static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int.self)).map(SQLValue.integer) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.float) ?? .null
        case .numeric:
            return (try? cell.decode(String.self)).flatMap(Double.init).map(SQLValue.float) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map(SQLValue.blob) ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}
