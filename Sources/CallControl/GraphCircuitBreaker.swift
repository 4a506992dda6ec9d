// A circuit breaker for the Graph API, as a pure state machine: time comes in
// as arguments, so tests drive it with a mock clock.
//
//   closed ──N consecutive outage failures──▶ open ──open time over──▶ half-open
//     ▲                                        ▲                         │
//     └───────────── probe succeeds ───────────┴──── probe fails ────────┘
//
// Only outages count (timeouts, connection errors, 5xx): a 4xx business error
// such as 138006 means Meta is up and answering.

public import Foundation

/// Whether Graph requests for new calls are let through.
public struct GraphCircuitBreaker: Sendable, Equatable {
    /// The breaker's state.
    public enum State: String, Sendable, Equatable {
        /// Requests flow; consecutive failures are counted.
        case closed
        /// Requests for new calls fail at once until the open time is over.
        case open
        /// One probe request is let through; its result closes or reopens the breaker.
        case halfOpen = "half_open"

        /// The value of the `wagate_graph_circuit_state` gauge: 0 closed, 1 open, 2 half-open.
        public var gaugeValue: Int {
            switch self {
            case .closed: 0
            case .open: 1
            case .halfOpen: 2
            }
        }
    }

    /// What to do with a request for a new call.
    public enum Decision: Sendable, Equatable {
        /// Send it.
        case allow
        /// Send it as the half-open probe.
        case probe
        /// Do not send it; answer 503 with this Retry-After.
        case reject(retryAfter: Duration)
    }

    /// Consecutive failures that open the breaker; 0 disables it.
    public let failureThreshold: Int
    /// How long the breaker stays open before a probe.
    public let openTime: Duration
    /// The current state.
    public private(set) var state: State = .closed
    /// Outage failures in a row while closed.
    public private(set) var consecutiveFailures = 0
    /// When the breaker last opened.
    private var openedAt: Date?
    /// When the half-open probe was let through; a probe with no result after the
    /// open time (its call ended before any Graph request) is replaced by a new one.
    private var probeSince: Date?

    /// Creates a closed breaker.
    public init(failureThreshold: Int, openTime: Duration) {
        self.failureThreshold = max(0, failureThreshold)
        self.openTime = openTime
    }

    /// Decides on a request for a new call at `now`. Moves open → half-open once the open time is over.
    public mutating func decide(now: Date) -> Decision {
        switch state {
        case .closed:
            return .allow
        case .open:
            let since = now.timeIntervalSince(openedAt ?? now)
            guard since >= Self.seconds(openTime) else { return .reject(retryAfter: remaining(since)) }
            state = .halfOpen
            probeSince = now
            return .probe
        case .halfOpen:
            if let probeSince, now.timeIntervalSince(probeSince) < Self.seconds(openTime) {
                return .reject(retryAfter: .seconds(1))
            }
            probeSince = now
            return .probe
        }
    }

    /// A Graph request succeeded, or failed with a business error: Meta is up. Returns the new state if it changed.
    public mutating func recordSuccess() -> State? {
        consecutiveFailures = 0
        probeSince = nil
        guard state != .closed else { return nil }
        state = .closed
        openedAt = nil
        return .closed
    }

    /// A Graph request failed with an outage at `now`. Returns the new state if it changed.
    public mutating func recordFailure(now: Date) -> State? {
        guard failureThreshold > 0 else { return nil }
        switch state {
        case .closed:
            consecutiveFailures += 1
            guard consecutiveFailures >= failureThreshold else { return nil }
        case .halfOpen:
            break
        case .open:
            return nil
        }
        state = .open
        openedAt = now
        probeSince = nil
        return .open
    }

    private func remaining(_ since: TimeInterval) -> Duration {
        .seconds(max(1, Int((Self.seconds(openTime) - since).rounded(.up))))
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
