import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// ``SQLDriver`` over a few PostgresNIO connections, each opened again after the
/// server went away: a statement that meets a lost connection fails (the store
/// counts it, callers retry), and the next statement on that connection connects
/// anew. Connection 0 carries transactions only (the store runs them one at a
/// time, under its lock), so no other statement lands inside one; the others
/// take single statements in turn, so a node's CDR writes and webhook lookups
/// do not queue behind each other on one socket.
actor PostgresDriver: SQLDriver {
    nonisolated let dialect = SQLDialect.postgres
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private var connections: [PostgresConnection?]
    private var connecting: [Int: Task<PostgresConnection, any Error>] = [:]
    private var closed = false
    private var nextID = 0
    private var turn = 0

    /// A driver for `settings` with `connections` connections (one for transactions,
    /// the rest for single statements); the first statement connects (``connect()``
    /// checks the server at start).
    init(settings: PostgresSettings, connections: Int = 4, logger: Logger) throws {
        configuration = try settings.connectionConfiguration()
        self.connections = Array(repeating: nil, count: max(connections, 2))
        self.logger = logger
    }

    /// Connects now, so a wrong address or password fails the start with its reason.
    func connect() async throws {
        _ = try await current(0)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let slot: Int
        if SQLTransaction.active {
            slot = 0
        } else {
            turn = turn % (connections.count - 1) + 1
            slot = turn
        }
        let connection = try await current(slot)
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds { Self.append(bind, to: &bindings) }
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings),
                                                  logger: logger).collect()
            return rows.map(Self.row)
        } catch {
            if connection.isClosed, connections[slot] === connection { connections[slot] = nil }
            throw error
        }
    }

    func close() async throws {
        closed = true
        for task in connecting.values { task.cancel() }
        for connection in connections.compactMap({ $0 }) { try? await connection.close().get() }
        connections = connections.map { _ in nil }
    }

    /// A driver dropped without ``close()`` (a failed start, a failed test) still
    /// closes its connections (PostgresNIO asserts that every connection is closed).
    /// The task keeps the connections until they are closed.
    deinit {
        let open = connections.compactMap { $0 }
        if !open.isEmpty { Task { for connection in open { try? await connection.close() } } }
    }

    /// Connection `slot`, opened if needed (one attempt at a time per slot).
    private func current(_ slot: Int) async throws -> PostgresConnection {
        if closed { throw StoreError.queryFailed(operation: "connect", reason: "store closed") }
        if let connection = connections[slot], !connection.isClosed { return connection }
        if let pending = connecting[slot] { return try await pending.value }
        nextID += 1
        let task = Task { [configuration, logger, nextID] in
            try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
        }
        connecting[slot] = task
        defer { connecting[slot] = nil }
        let opened = try await task.value
        connections[slot] = opened
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
