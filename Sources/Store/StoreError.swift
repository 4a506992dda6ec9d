import Foundation

/// The one error type of the `Store` module.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database could not be opened (path and reason).
    case openFailed(location: String, reason: String)
    /// A schema migration failed (version and reason).
    case migrationFailed(version: Int, reason: String)
    /// A query failed (what was being done and why).
    case queryFailed(operation: String, reason: String)

    /// A human-readable description.
    public var description: String {
        switch self {
        case .openFailed(let location, let reason): return "cannot open store at \(location): \(reason)"
        case .migrationFailed(let version, let reason): return "store migration \(version) failed: \(reason)"
        case .queryFailed(let operation, let reason): return "store \(operation) failed: \(reason)"
        }
    }
}
