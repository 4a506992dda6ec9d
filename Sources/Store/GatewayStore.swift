import Foundation
public import Logging
public import WhatsAppCloud

/// The gateway's database: webhook deliveries and their event keys, registrations,
/// call detail records, onboarded numbers, and a cluster's node leases and call
/// slots (``StoreMigrations``). SQLite (sqlite-nio) for one node, PostgreSQL
/// (PostgresNIO) shared by the nodes of a cluster; the statements are the same.
///
/// An actor; multi-statement operations are additionally serialised with an async
/// lock because an actor is re-entered at every `await`.
public actor GatewayStore: WebhookDeliveryStore {
    /// The one connection.
    let driver: any SQLDriver
    /// Where migrations and failures are logged.
    let logger: Logger
    /// Failure counters for `/metrics` and the rate-limited failure log.
    public nonisolated let health: StoreHealth
    /// Keys of webhook events handed on by this process and not yet marked
    /// processed: a duplicate of one of them is not handed on a second time.
    var claimed: Set<String> = []
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private init(driver: any SQLDriver, logger: Logger, health: StoreHealth) {
        self.driver = driver
        self.logger = logger
        self.health = health
    }

    /// Opens (creating if needed) the database and applies pending migrations.
    public static func open(_ settings: StoreSettings, logger: Logger = Logger(label: "wagate.store"),
                            health: StoreHealth = StoreHealth()) async throws -> GatewayStore {
        let driver: any SQLDriver
        let description: String
        do {
            switch settings.location {
            case .memory:
                description = ":memory:"
                driver = try await SQLiteDriver(storage: .memory, logger: logger)
            case .file(let path):
                description = path
                driver = try await SQLiteDriver(storage: .file(path: path), logger: logger)
            case .postgres(let postgres):
                description = postgres.description
                let connection = try PostgresDriver(settings: postgres, logger: logger)
                try await connection.connect()
                driver = connection
            }
        } catch {
            throw StoreError.openFailed(location: Self.location(settings), reason: String(describing: error))
        }
        let store = GatewayStore(driver: driver, logger: logger, health: health)
        if driver.dialect == .sqlite {
            try await store.configure(inMemory: description == ":memory:")
        }
        try await store.migrate()
        if driver.dialect == .sqlite { try await store.limitSize(to: settings.maxSizeBytes) }
        logger.info("store opened", metadata: ["store.location": "\(description)"])
        return store
    }

    /// The store's location for messages (a PostgreSQL URL without its password).
    static func location(_ settings: StoreSettings) -> String {
        switch settings.location {
        case .memory: ":memory:"
        case .file(let path): path
        case .postgres(let postgres): postgres.description
        }
    }

    /// Which engine the store runs on.
    var dialect: SQLDialect { driver.dialect }

    /// SQLite only: WAL journal with `synchronous = NORMAL`: a commit is one append to the
    /// log instead of several fsyncs, so webhook deliveries and CDR updates keep
    /// up with call rates; committed rows survive a crash or `kill -9` of the
    /// process (what crash recovery needs), and only a power loss can drop the
    /// last transactions.
    ///
    /// `secure_delete` overwrites deleted and scrubbed content with zeros, so an
    /// erased webhook body (personal data) does not linger in free pages.
    func configure(inMemory: Bool) async throws {
        _ = try await run("secure delete", "PRAGMA secure_delete=ON")
        guard !inMemory else { return }
        _ = try await run("journal mode", "PRAGMA journal_mode=WAL")
        _ = try await run("synchronous", "PRAGMA synchronous=NORMAL")
        _ = try await run("busy timeout", "PRAGMA busy_timeout=5000")
    }

    /// Caps the file at `bytes` (rounded down to whole pages) with SQLite's
    /// `max_page_count`, a per-connection setting applied at every open. Applied
    /// after the migrations so that a full store still opens. SQLite never lowers
    /// the cap below the pages already in use.
    func limitSize(to bytes: Int?) async throws {
        guard let bytes else { return }
        let rows = try await run("page size", "PRAGMA page_size")
        let pageSize = max(rows.first?.column("page_size")?.integer ?? 4096, 512)
        let pages = max(bytes / pageSize, 1)
        _ = try await run("max page count", "PRAGMA max_page_count = \(pages)")
    }

    /// Closes the connection; the store is unusable afterwards. Closing twice is harmless.
    public func close() async throws {
        try await driver.close()
    }

    /// The schema version applied (the highest migration number).
    public func schemaVersion() async throws -> Int {
        let rows = try await run("schema version", "SELECT MAX(version) AS v FROM schema_migrations")
        return rows.first?.column("v")?.integer.map { Int($0) } ?? 0
    }

    // MARK: Webhook deliveries

    /// How many deliveries are stored.
    public func deliveryCount() async throws -> Int {
        let rows = try await run("count deliveries", "SELECT COUNT(*) AS n FROM webhook_deliveries")
        return rows.first?.column("n")?.integer.map { Int($0) } ?? 0
    }

    /// The stored raw bodies, oldest first (at most `limit`).
    public func deliveryBodies(limit: Int = 100) async throws -> [[UInt8]] {
        let rows = try await run("read deliveries", "SELECT body FROM webhook_deliveries ORDER BY id LIMIT ?",
                                 [.integer(limit)])
        return rows.compactMap { $0.column("body")?.bytes }
    }

    /// The event kinds recorded for a call, in arrival order, with whether each was handed on.
    public func events(forCall callID: String) async throws -> [(kind: String, admitted: Bool)] {
        let rows = try await run("read events",
                                 "SELECT kind, admitted FROM webhook_events WHERE wacid = ? ORDER BY received_at, delivery_id, position", [.text(callID)])
        return rows.map { ($0.column("kind")?.string ?? "", $0.column("admitted")?.integer == 1) }
    }

    // MARK: Plumbing

    /// Runs `body`, counting and logging (rate-limited) a failure under `operation` before rethrowing it.
    func counted<T>(_ operation: StoreOperation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            health.failed(operation, error: error, logger: logger)
            throw error
        }
    }

    /// Runs one statement, turning errors into ``StoreError``.
    @discardableResult
    func run(_ operation: String, _ sql: String, _ binds: [SQLValue] = []) async throws -> [SQLRow] {
        do {
            return try await driver.query(sql, binds)
        } catch {
            throw StoreError.queryFailed(operation: operation, reason: String(describing: error))
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back on error.
    func transaction(_ operation: String, _ body: () async throws -> Void) async throws {
        try await SQLTransaction.$active.withValue(true) {
            try await run(operation, dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")
            do {
                try await body()
                try await run(operation, "COMMIT")
            } catch {
                _ = try? await run(operation, "ROLLBACK")
                throw error
            }
        }
    }

    /// Applies every migration newer than the recorded version. On PostgreSQL the
    /// nodes of a cluster may start together: a session advisory lock lets one
    /// migrate while the others wait, and they then find nothing left to apply.
    func migrate() async throws {
        await lock()
        defer { unlock() }
        guard dialect == .postgres else { return try await applyMigrations() }
        try await run("migration lock", "SELECT pg_advisory_lock(\(Self.migrationLock))")
        do {
            try await applyMigrations()
        } catch {
            _ = try? await run("migration unlock", "SELECT pg_advisory_unlock(\(Self.migrationLock))")
            throw error
        }
        try await run("migration unlock", "SELECT pg_advisory_unlock(\(Self.migrationLock))")
    }

    /// The migrations themselves (the caller holds the locks).
    private func applyMigrations() async throws {
        try await run("bookkeeping", StoreMigrations.statement(StoreMigrations.bookkeeping, for: dialect))
        let current = try await schemaVersion()
        for migration in StoreMigrations.all where migration.version > current {
            do {
                try await transaction("migration \(migration.version)") {
                    for statement in migration.statements {
                        try await self.run("migrate", StoreMigrations.statement(statement, for: self.dialect))
                    }
                    try await self.run("migrate", "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                       [.integer(migration.version), .text(migration.name),
                                        .float(Date().timeIntervalSince1970)])
                }
            } catch {
                throw StoreError.migrationFailed(version: migration.version, reason: String(describing: error))
            }
            logger.info("store migrated", metadata: ["store.version": "\(migration.version)"])
        }
    }

    /// The advisory lock key the nodes of a cluster migrate under ("wagate" in ASCII).
    static let migrationLock = 0x7761_6761_7465

    /// Serialises multi-statement operations (the actor is re-entered at every `await`).
    func lock() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    /// Ends a ``lock()``.
    func unlock() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
