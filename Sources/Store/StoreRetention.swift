import Foundation

/// How long each kind of stored data is kept; applied by ``GatewayStore/applyRetention(_:now:)``.
public struct RetentionPolicy: Sendable, Equatable {
    /// Ended calls' detail records older than this are deleted; nil keeps them.
    public var callRecords: Duration?
    /// Raw webhook bodies (names, numbers, SDP) and signatures older than this are
    /// erased; the event keys stay. A body whose events are not processed yet is kept
    /// until they are, because a restart replays from it.
    public var webhookBodies: Duration
    /// Processed webhook event keys, and deliveries left without events, older than
    /// this are deleted. Longer than Meta retries a delivery, so a late retry is
    /// still recognised as a duplicate and a late connect still meets its terminate.
    public var webhookEvents: Duration

    /// Creates a policy.
    public init(callRecords: Duration?, webhookBodies: Duration, webhookEvents: Duration) {
        self.callRecords = callRecords
        self.webhookBodies = webhookBodies
        self.webhookEvents = webhookEvents
    }
}

/// What one retention sweep removed.
public struct RetentionReport: Sendable, Equatable, CustomStringConvertible {
    /// Call detail records deleted.
    public var callRecordsDeleted = 0
    /// Webhook bodies erased.
    public var bodiesScrubbed = 0
    /// Webhook event keys deleted.
    public var eventsDeleted = 0
    /// Webhook delivery rows deleted.
    public var deliveriesDeleted = 0
    /// Call owner rows (clusters) deleted.
    public var callOwnersDeleted = 0

    /// Creates an empty report.
    public init() {}

    /// `calls=… bodies=… events=… deliveries=… owners=…`.
    public var description: String {
        "calls=\(callRecordsDeleted) bodies=\(bodiesScrubbed) events=\(eventsDeleted) deliveries=\(deliveriesDeleted) "
            + "owners=\(callOwnersDeleted)"
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
