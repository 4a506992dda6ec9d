// The Graph circuit breaker shared by call control (which refuses new calls
// while it is open) and the WhatsApp adapter (which reports every request's
// outcome). A lock around a pure state machine; transitions are logged.

public import Foundation
public import Logging
import Synchronization

/// Graph API health, safe to use from any task.
public final class GraphCircuit: Sendable {
    private let breaker: Mutex<GraphCircuitBreaker>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let onChange: @Sendable (GraphCircuitBreaker.State) -> Void

    /// Creates a closed breaker. `now` is injected for tests; `onChange` sees every
    /// transition (the metrics gauge).
    public init(failureThreshold: Int, openTime: Duration, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger, onChange: @escaping @Sendable (GraphCircuitBreaker.State) -> Void = { _ in }) {
        self.breaker = Mutex(GraphCircuitBreaker(failureThreshold: failureThreshold, openTime: openTime))
        self.now = now
        self.logger = logger
        self.onChange = onChange
    }

    /// The current state.
    public var state: GraphCircuitBreaker.State { breaker.withLock { $0.state } }

    /// Whether a new call would be refused now (open, open time not over), asked
    /// of a copy so that asking moves no state (readiness probes ask often).
    public var isRefusingNewCalls: Bool {
        let time = now()
        return breaker.withLock { breaker in
            var copy = breaker
            if case .reject = copy.decide(now: time) { return true }
            return false
        }
    }

    /// Whether a new call may use the Graph API now; nil when it may, else the Retry-After.
    public func refusalForNewCall() -> Duration? {
        let time = now()
        let (decision, before, after) = breaker.withLock { breaker in
            let before = breaker.state
            let decision = breaker.decide(now: time)
            return (decision, before, breaker.state)
        }
        if before != after { announce(after) }
        if case .reject(let retryAfter) = decision { return retryAfter }
        return nil
    }

    /// Records the outcome of one Graph request (nil: success).
    public func record(_ failure: WhatsAppFailure?) {
        let time = now()
        let (change, failures) = breaker.withLock { breaker in
            let change = if let failure, failure.isOutage {
                breaker.recordFailure(now: time)
            } else {
                breaker.recordSuccess()
            }
            return (change, breaker.consecutiveFailures)
        }
        if let change { announce(change, failures: failures, cause: failure) }
    }

    private func announce(_ state: GraphCircuitBreaker.State, failures: Int? = nil, cause: WhatsAppFailure? = nil) {
        var metadata: Logger.Metadata = ["state": "\(state.rawValue)"]
        if let failures, state == .open { metadata["consecutive_failures"] = "\(failures)" }
        if let cause { metadata["error"] = "\(cause)" }
        switch state {
        case .open: logger.warning("graph circuit breaker open: new calls get 503", metadata: metadata)
        case .halfOpen: logger.notice("graph circuit breaker half-open: probing", metadata: metadata)
        case .closed: logger.notice("graph circuit breaker closed", metadata: metadata)
        }
        onChange(state)
    }
}
