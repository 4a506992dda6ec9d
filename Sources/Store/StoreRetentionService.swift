public import Foundation
public import Logging
public import ServiceLifecycle

/// Applies a ``RetentionPolicy`` at start and then every `interval`, until
/// graceful shutdown. Time is injected: `now` gives the wall clock the cutoffs
/// are computed from, `sleep` waits between sweeps (tests drive both).
public struct StoreRetentionService: Service, CustomStringConvertible {
    let store: GatewayStore
    let policy: RetentionPolicy
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    /// For logs.
    public var description: String { "StoreRetentionService" }

    /// Creates the service.
    public init(store: GatewayStore, policy: RetentionPolicy, interval: Duration, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    /// Sweeps until cancelled or shut down gracefully.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await runUntilCancelled() }
    }

    /// Sweeps now and after every `interval` until the sleep throws (cancellation).
    public func runUntilCancelled() async throws {
        while !Task.isCancelled {
            await sweep()
            try await sleep(interval)
        }
        throw CancellationError()
    }

    /// One sweep; a failure is counted and logged by the store and retried at the next sweep.
    func sweep() async {
        guard let report = try? await store.applyRetention(policy, now: now()) else { return }
        let level: Logger.Level = report == RetentionReport() ? .debug : .info
        logger.log(level: level, "storage retention applied", metadata: [
            "storage.calls_deleted": "\(report.callRecordsDeleted)", "storage.bodies_scrubbed": "\(report.bodiesScrubbed)",
            "storage.events_deleted": "\(report.eventsDeleted)",
            "storage.deliveries_deleted": "\(report.deliveriesDeleted)",
            "storage.call_owners_deleted": "\(report.callOwnersDeleted)",
        ])
    }
}
