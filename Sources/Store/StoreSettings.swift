import Foundation

/// Plain settings for ``SQLiteStore``; the composition layer fills them from config.
public struct StoreSettings: Sendable, Equatable {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        /// A private in-memory database (tests, sandbox).
        case memory
        /// A file; created with its tables if missing.
        case file(path: String)
    }

    /// Where the database lives.
    public var location: Location

    /// Creates settings.
    public init(location: Location) {
        self.location = location
    }
}
