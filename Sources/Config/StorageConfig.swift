// The [storage] section: where call records are kept.

/// The `[storage]` section.
public struct StorageConfig: Sendable, Equatable {
    /// The SQLite database file. A relative path in the file is resolved
    /// against the config file's directory; the built-in default
    /// (`wagate.sqlite`) without a file is relative to the working directory.
    public var databasePath: String
    /// How many days call detail records are kept; nil keeps them forever.
    public var cdrRetentionDays: Int?

    /// The defaults used for every key the file leaves out.
    public static let defaults = StorageConfig(databasePath: "wagate.sqlite", cdrRetentionDays: 90)

    /// Creates a `[storage]` configuration.
    public init(databasePath: String, cdrRetentionDays: Int?) {
        self.databasePath = databasePath
        self.cdrRetentionDays = cdrRetentionDays
    }
}
