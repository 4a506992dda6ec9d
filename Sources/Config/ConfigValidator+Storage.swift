// Building [storage]: the database file or the shared PostgreSQL store, retention and the size cap.

extension ConfigValidator {
    /// Validates `[storage]`.
    ///
    /// Retention keys are whole seconds so that tests can use seconds and
    /// operators can use any span: `webhook_body_retention` (0 erases a body at
    /// the first sweep after its events are processed), `webhook_retention` (at
    /// least a minute, since Meta retries a delivery for hours) and
    /// `retention_interval`. `max_size_mb = 0` leaves the database unbounded.
    func buildStorage(_ reader: SectionReader) -> StorageConfig {
        let defaults = StorageConfig.defaults
        var path = TextScanning.resolve(defaults.databasePath, against: baseDirectory)
        if let entry = reader.usable("database") {
            if entry.value.isEmpty {
                reader.bad(entry, expected: "a file path")
            } else {
                path = TextScanning.resolve(entry.value, against: baseDirectory)
            }
        }
        let days = reader.int("cdr_retention_days", default: 90, in: 0...36500, unit: "days")
        let year = 366 * 86_400
        let size = reader.int("max_size_mb", default: 0, in: 0...1_048_576, unit: "MiB")
        var postgres: Secret?
        if let url = secret(reader, "postgres") {
            // The store parses the rest at start, and refuses to start on a bad URL with the reason.
            if !(url.reveal().hasPrefix("postgres://") || url.reveal().hasPrefix("postgresql://")) {
                reader.problem(reader.line(of: "postgres"), "'postgres' of [storage] must be a postgres:// URL")
            } else {
                postgres = url
            }
        }
        var storage = StorageConfig(
            databasePath: path, cdrRetentionDays: days == 0 ? nil : days,
            webhookBodyRetention: reader.seconds("webhook_body_retention", default: 86_400, in: 0...year),
            webhookRetention: reader.seconds("webhook_retention", default: 7 * 86_400, in: 60...year),
            retentionInterval: reader.seconds("retention_interval", default: 3_600, in: 1...86_400),
            maxSizeMB: size == 0 ? nil : size)
        storage.postgres = postgres
        return storage
    }
}
