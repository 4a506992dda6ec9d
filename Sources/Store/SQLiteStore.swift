import Foundation
import Logging
import NIOCore
import SQLiteNIO
import WhatsAppCloud

/// The gateway's SQLite database (via sqlite-nio): webhook deliveries now, call
/// detail records later (as further ``StoreMigrations``).
///
/// An actor; multi-statement operations are additionally serialised with an async
/// lock because an actor is re-entered at every `await`.
public actor SQLiteStore: WebhookDeliveryStore {
    /// The one connection (SQLite serialises writers anyway).
    let connection: SQLiteConnection
    /// Where migrations and failures are logged.
    let logger: Logger
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating if needed) the database and applies pending migrations.
    public static func open(_ settings: StoreSettings, logger: Logger = Logger(label: "wagate.store")) async throws
        -> SQLiteStore {
        let storage: SQLiteConnection.Storage
        let description: String
        switch settings.location {
        case .memory:
            storage = .memory
            description = ":memory:"
        case .file(let path):
            storage = .file(path: path)
            description = path
        }
        /// The one connection (SQLite serialises writers anyway).
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw StoreError.openFailed(location: description, reason: String(describing: error))
        }
        let store = SQLiteStore(connection: connection, logger: logger)
        try await store.configure(inMemory: description == ":memory:")
        try await store.migrate()
        logger.info("store opened", metadata: ["store.location": "\(description)"])
        return store
    }

    /// WAL journal with `synchronous = NORMAL`: a commit is one append to the
    /// log instead of several fsyncs, so webhook deliveries and CDR updates keep
    /// up with call rates; committed rows survive a crash or `kill -9` of the
    /// process (what crash recovery needs), and only a power loss can drop the
    /// last transactions.
    func configure(inMemory: Bool) async throws {
        guard !inMemory else { return }
        _ = try await run("journal mode", "PRAGMA journal_mode=WAL")
        _ = try await run("synchronous", "PRAGMA synchronous=NORMAL")
        _ = try await run("busy timeout", "PRAGMA busy_timeout=5000")
    }

    /// Closes the connection; the store is unusable afterwards.
    public func close() async throws {
        try await connection.close()
    }

    /// The schema version applied (the highest migration number).
    public func schemaVersion() async throws -> Int {
        let rows = try await run("schema version", "SELECT MAX(version) AS v FROM schema_migrations")
        return rows.first?.column("v")?.integer.map { Int($0) } ?? 0
    }

    // MARK: Webhook deliveries

    /// Stores the delivery and its events' keys in one transaction and returns the
    /// admitted events (see ``WebhookAdmission``).
    public func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent] {
        await lock()
        defer { unlock() }
        let lookup = Array(WebhookAdmission.lookupKeys(for: delivery.events))
        var known: Set<String> = []
        if !lookup.isEmpty {
            let marks = Array(repeating: "?", count: lookup.count).joined(separator: ",")
            let rows = try await run("lookup", "SELECT key FROM webhook_events WHERE key IN (\(marks))",
                                     lookup.map { .text($0) })
            known = Set(rows.compactMap { $0.column("key")?.string })
        }
        let admitted = WebhookAdmission.admit(delivery.events, known: known)
        let admittedKeys = Set(admitted.map(\.deduplicationKey))
        try await transaction("record delivery") {
            let at = SQLiteData.float(delivery.receivedAt.timeIntervalSince1970)
            try await self.run("insert delivery",
                               "INSERT INTO webhook_deliveries (received_at, signature, body, event_count) VALUES (?, ?, ?, ?)",
                               [at, .text(delivery.signature), .blob(ByteBuffer(bytes: delivery.body)),
                                .integer(delivery.events.count)])
            let deliveryID = try await self.connection.lastAutoincrementID()
            for event in delivery.events {
                try await self.run("insert event", """
                    INSERT OR IGNORE INTO webhook_events (key, delivery_id, kind, wacid, received_at, admitted)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [.text(event.deduplicationKey), .integer(deliveryID), .text(event.kind),
                          event.callID.map { .text($0) } ?? .null, at,
                          .integer(admittedKeys.contains(event.deduplicationKey) ? 1 : 0)])
            }
        }
        return admitted
    }

    /// How many deliveries are stored.
    public func deliveryCount() async throws -> Int {
        let rows = try await run("count deliveries", "SELECT COUNT(*) AS n FROM webhook_deliveries")
        return rows.first?.column("n")?.integer.map { Int($0) } ?? 0
    }

    /// The stored raw bodies, oldest first (at most `limit`).
    public func deliveryBodies(limit: Int = 100) async throws -> [[UInt8]] {
        let rows = try await run("read deliveries", "SELECT body FROM webhook_deliveries ORDER BY id LIMIT ?",
                                 [.integer(limit)])
        return rows.compactMap { $0.column("body")?.blob.map { Array($0.readableBytesView) } }
    }

    /// The event kinds recorded for a call, in arrival order, with whether each was handed on.
    public func events(forCall callID: String) async throws -> [(kind: String, admitted: Bool)] {
        let rows = try await run("read events",
                                 "SELECT kind, admitted FROM webhook_events WHERE wacid = ? ORDER BY rowid", [.text(callID)])
        return rows.map { ($0.column("kind")?.string ?? "", $0.column("admitted")?.integer == 1) }
    }

    // MARK: Plumbing

    /// Runs one statement, turning errors into ``StoreError``.
    @discardableResult
    func run(_ operation: String, _ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw StoreError.queryFailed(operation: operation, reason: String(describing: error))
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back on error.
    func transaction(_ operation: String, _ body: () async throws -> Void) async throws {
        try await run(operation, "BEGIN IMMEDIATE")
        do {
            try await body()
            try await run(operation, "COMMIT")
        } catch {
            _ = try? await run(operation, "ROLLBACK")
            throw error
        }
    }

    /// Applies every migration newer than the recorded version.
    func migrate() async throws {
        await lock()
        defer { unlock() }
        try await run("bookkeeping", StoreMigrations.bookkeeping)
        let current = try await schemaVersion()
        for migration in StoreMigrations.all where migration.version > current {
            do {
                try await transaction("migration \(migration.version)") {
                    for statement in migration.statements { try await self.run("migrate", statement) }
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

    private func lock() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    private func unlock() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
