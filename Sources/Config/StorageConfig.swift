// The [storage] section: where records are kept, for how long, how large.

/// The `[storage]` section.
public struct StorageConfig: Sendable, Equatable {
    /// The SQLite database file. A relative path in the file is resolved
    /// against the config file's directory; the built-in default
    /// (`wagate.sqlite`) without a file is relative to the working directory.
    public var databasePath: String
    /// How many days call detail records are kept; nil keeps them forever.
    public var cdrRetentionDays: Int?
    /// How long raw webhook bodies (personal data: names, numbers, SDP) are kept
    /// once their events are processed (`webhook_body_retention`, seconds).
    public var webhookBodyRetention: Duration
    /// How long webhook event keys are kept for deduplication and
    /// terminate-before-connect (`webhook_retention`, seconds).
    public var webhookRetention: Duration
    /// How often the retention sweep runs (`retention_interval`, seconds).
    public var retentionInterval: Duration
    /// The largest database size in MiB (`max_size_mb`); nil for no limit.
    public var maxSizeMB: Int?
    /// The PostgreSQL store shared by a cluster (`postgres`, a `postgres://` URL,
    /// its password normally `${VAR}`); nil keeps the SQLite file. Never logged
    /// with its password.
    public var postgres: Secret?

    /// The defaults used for every key the file leaves out.
    public static let defaults = StorageConfig(databasePath: "wagate.sqlite", cdrRetentionDays: 90)

    /// Creates a `[storage]` configuration.
    public init(databasePath: String, cdrRetentionDays: Int?, webhookBodyRetention: Duration = .seconds(86_400),
                webhookRetention: Duration = .seconds(7 * 86_400), retentionInterval: Duration = .seconds(3_600),
                maxSizeMB: Int? = nil) {
        self.databasePath = databasePath
        self.cdrRetentionDays = cdrRetentionDays
        self.webhookBodyRetention = webhookBodyRetention
        self.webhookRetention = webhookRetention
        self.retentionInterval = retentionInterval
        self.maxSizeMB = maxSizeMB
    }
}
