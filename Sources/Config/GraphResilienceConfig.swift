// How wagate behaves when Meta's Graph API is slow or down: the setup budget
// of an outbound call, the circuit breaker and terminate retries. Keys of the
// [whatsapp] section.

/// Graph fault handling settings (`[whatsapp]`).
public struct GraphResilienceConfig: Sendable, Equatable {
    /// `setup_budget`: the longest an INVITE waits for the permission lookup and
    /// `connect`; past it the caller gets 503 with Retry-After.
    public var setupBudget: Duration
    /// `circuit_breaker_failures`: consecutive Graph outages (timeouts, connection
    /// errors, 5xx) that open the breaker; 0 disables it.
    public var breakerFailures: Int
    /// `circuit_breaker_open_time`: how long the open breaker fails new calls at
    /// once before one probe call is let through. Also the Retry-After it sends.
    public var breakerOpenTime: Duration
    /// `terminate_retry_horizon`: how long an unacknowledged `terminate` is retried.
    public var terminateRetryHorizon: Duration

    /// The defaults: 5 s budget, open after 5 failures for 30 s, retry terminates for 10 min.
    public static let defaults = GraphResilienceConfig(
        setupBudget: .seconds(5), breakerFailures: 5, breakerOpenTime: .seconds(30),
        terminateRetryHorizon: .seconds(600))

    /// Creates settings.
    public init(setupBudget: Duration, breakerFailures: Int, breakerOpenTime: Duration,
                terminateRetryHorizon: Duration) {
        self.setupBudget = setupBudget
        self.breakerFailures = breakerFailures
        self.breakerOpenTime = breakerOpenTime
        self.terminateRetryHorizon = terminateRetryHorizon
    }
}

extension ConfigValidator {
    /// Reads the Graph fault keys of `[whatsapp]`.
    func buildGraphResilience(_ reader: SectionReader) -> GraphResilienceConfig {
        let defaults = GraphResilienceConfig.defaults
        return GraphResilienceConfig(
            setupBudget: reader.seconds("setup_budget", default: 5, in: 1...120),
            breakerFailures: reader.int("circuit_breaker_failures", default: defaults.breakerFailures, in: 0...1000),
            breakerOpenTime: reader.seconds("circuit_breaker_open_time", default: 30, in: 1...3600),
            terminateRetryHorizon: reader.seconds("terminate_retry_horizon", default: 600, in: 0...86_400))
    }

    /// The keys ``buildGraphResilience(_:)`` reads.
    static let graphResilienceKeys = ["setup_budget", "circuit_breaker_failures", "circuit_breaker_open_time",
                                      "terminate_retry_horizon"]
}
