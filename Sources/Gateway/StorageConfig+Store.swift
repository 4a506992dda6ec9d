public import Config
import Logging
public import Store

/// `[storage]` turned into the store's settings and its retention schedule.
extension StorageConfig {
    /// The shared PostgreSQL store when `postgres` is set, else the database file and its size cap.
    public func storeSettings() throws -> StoreSettings {
        if let postgres {
            switch PostgresSettings.parse(postgres.reveal()) {
            case .success(let settings): return StoreSettings(location: .postgres(settings))
            case .failure(let reason): throw StoreError.openFailed(location: "[storage] postgres", reason: reason.description)
            }
        }
        return StoreSettings(location: .file(path: databasePath), maxSizeBytes: maxSizeMB.map { $0 * 1_048_576 })
    }

    /// What each sweep keeps.
    var retentionPolicy: RetentionPolicy {
        RetentionPolicy(callRecords: cdrRetentionDays.map { .seconds($0 * 86_400) },
                        webhookBodies: webhookBodyRetention, webhookEvents: webhookRetention)
    }

    /// The sweep, at start and every `retention_interval`.
    func retentionService(store: GatewayStore, logger: Logger) -> StoreRetentionService {
        StoreRetentionService(store: store, policy: retentionPolicy, interval: retentionInterval, logger: logger)
    }
}
