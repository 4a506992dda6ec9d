import Foundation

/// Plain settings for ``GatewayStore``; the composition layer fills them from config.
public struct StoreSettings: Sendable, Equatable {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        /// A private in-memory database (tests, sandbox).
        case memory
        /// A file; created with its tables if missing.
        case file(path: String)
        /// A PostgreSQL database shared by the nodes of a cluster; its tables are
        /// created at the first start.
        case postgres(PostgresSettings)
    }

    /// Where the database lives.
    public var location: Location
    /// The largest size an SQLite database may reach, in bytes (SQLite's
    /// `max_page_count`); nil for no limit. Past it every write fails with
    /// SQLITE_FULL, as on a full disk, while reads keep working.
    public var maxSizeBytes: Int?

    /// Creates settings.
    public init(location: Location, maxSizeBytes: Int? = nil) {
        self.location = location
        self.maxSizeBytes = maxSizeBytes
    }
}
