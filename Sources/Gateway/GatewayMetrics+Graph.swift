import CallControl
import Prometheus

/// Graph API series: every request wagate makes for a call, by action
/// (`connect`, `pre_accept`, `accept`, `reject`, `terminate`, `call_permissions`,
/// …) and outcome, with its latency.
extension GatewayMetrics {
    /// Graph latency buckets: Meta answers in tens to hundreds of milliseconds; the request timeout bounds the top.
    static let graphBuckets: [Duration] = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20].map {
        .milliseconds(Int64($0 * 1_000))
    }

    /// The Graph actions wagate performs for calls (the `action` label's values).
    static let graphActions = ["call_permissions", "connect", "pre_accept", "accept", "reject", "terminate", "messages"]

    /// One Graph request for `action` finished, successfully without `failure`.
    func graphRequest(_ action: String, failure: WhatsAppFailure?, took: Duration) {
        graphCounter(action, Self.outcomeLabel(failure)).increment()
        graphHistogram(action).record(took)
    }

    func graphCounter(_ action: String, _ outcome: String) -> Counter {
        counter("wagate_graph_requests_total", "Graph API requests, by action and outcome",
                [("action", action), ("outcome", outcome)])
    }

    func graphHistogram(_ action: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("wagate_graph_request_duration_seconds",
                                        "Graph API request latency, by action"),
            labels: [("action", action)], buckets: Self.graphBuckets)
    }

    /// The bounded `outcome` label of a request: `ok`, `graph_error` (Meta
    /// answered with an error), `timeout`, `transport`, `unexpected` or `circuit_open`.
    static func outcomeLabel(_ failure: WhatsAppFailure?) -> String {
        switch failure {
        case nil: "ok"
        case .graph: "graph_error"
        case .timeout: "timeout"
        case .transport: "transport"
        case .unexpectedResponse: "unexpected"
        case .circuitOpen: "circuit_open"
        }
    }
}
