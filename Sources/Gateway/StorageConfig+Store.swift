import Config
import Logging
import Store

/// `[storage]` turned into the store's settings and its retention schedule.
extension StorageConfig {
    /// The database file and its size cap.
    var storeSettings: StoreSettings {
        StoreSettings(location: .file(path: databasePath), maxSizeBytes: maxSizeMB.map { $0 * 1_048_576 })
    }

    /// What each sweep keeps.
    var retentionPolicy: RetentionPolicy {
        RetentionPolicy(callRecords: cdrRetentionDays.map { .seconds($0 * 86_400) },
                        webhookBodies: webhookBodyRetention, webhookEvents: webhookRetention)
    }

    /// The sweep, at start and every `retention_interval`.
    func retentionService(store: SQLiteStore, logger: Logger) -> StoreRetentionService {
        StoreRetentionService(store: store, policy: retentionPolicy, interval: retentionInterval, logger: logger)
    }
}
