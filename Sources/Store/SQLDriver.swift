/// Which SQL engine a driver speaks. The store's statements are written once in
/// the subset both engines accept (`?` placeholders, `ON CONFLICT`, `RETURNING`,
/// quoted `"user"`); the few places they differ ask the dialect.
enum SQLDialect: Sendable {
    /// The embedded default: one file, one process.
    case sqlite
    /// The shared store of a cluster.
    case postgres
}

/// One connection the store runs statements on. Each driver turns ``SQLValue``
/// binds and rows into its library's types; the store never sees either library.
protocol SQLDriver: Sendable {
    /// The engine behind the connection.
    var dialect: SQLDialect { get }
    /// Runs one statement with `?` placeholders and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Closes the connection; the driver is unusable afterwards.
    func close() async throws
}

/// Marks the statements of one transaction (BEGIN to COMMIT): a driver with
/// several connections runs them all on one, where no other statement runs
/// meanwhile. A driver with one connection has nothing to do.
enum SQLTransaction {
    /// True for the statements of a transaction.
    @TaskLocal static var active = false
}
