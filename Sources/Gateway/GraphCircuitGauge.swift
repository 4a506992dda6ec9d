import CallControl
import Prometheus

/// `wagate_graph_circuit_state` on `GET /metrics`: 0 closed, 1 open, 2 half-open.
struct GraphCircuitGauge: Sendable {
    private let gauge: Gauge

    init(registry: PrometheusCollectorRegistry) {
        gauge = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "wagate", metricName: "graph_circuit_state", unitName: "",
            helpText: "Graph API circuit breaker: 0 closed, 1 open (new calls get 503), 2 half-open"))
        gauge.set(Double(0))
    }

    /// Shows `state`.
    func set(_ state: GraphCircuitBreaker.State) {
        gauge.set(Double(state.gaugeValue))
    }
}
