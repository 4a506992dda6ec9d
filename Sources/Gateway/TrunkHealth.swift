import Config
import Logging
import Prometheus
import SIP
import Synchronization

/// Whether each trunk answers, as the OPTIONS keepalive finds it.
///
/// A trunk is up until `downAfter` probes in a row get no answer at all (408
/// or a transport error, the same test Asterisk's `qualify` and Kamailio's
/// dispatcher probing use); it is up again on the first answer of any status.
/// Each transition is logged once (warning when down, notice when up) and
/// shown on `wagate_trunk_up{trunk="NAME"}` (1 up, 0 down). Routing skips a
/// down trunk (see `StackSIPSignaling.isTrunkUp`). Keyed only by configured
/// trunk names, so its size is fixed by the configuration.
final class TrunkHealth: Sendable {
    /// Probes without an answer, in a row, that mark a trunk down: two, so one
    /// lost probe (a whole retransmitted OPTIONS transaction) is not enough.
    static let downAfter = 2

    private struct State {
        var misses = 0
        var up = true
    }

    private let states: Mutex<[String: State]>
    /// The keepalive OPTIONS in flight, by handle: at most one per trunk.
    private let probes = Mutex<[SIPHandle: String]>([:])
    private let gauges: [String: Gauge]
    private let logger: Logger

    /// Health for `config`'s trunks, all up, with a gauge each in `registry` (none when nil).
    init(config: GatewayConfig, registry: PrometheusCollectorRegistry?, logger: Logger) {
        let names = config.trunks.map(\.name)
        states = Mutex(Dictionary(uniqueKeysWithValues: names.map { ($0, State()) }))
        var gauges: [String: Gauge] = [:]
        if let registry {
            for name in names {
                let gauge = registry.makeGauge(descriptor: MetricNameDescriptor(
                    namespace: "wagate", metricName: "trunk_up", unitName: "",
                    helpText: "Trunk answers the OPTIONS keepalive: 1 up, 0 down (skipped by routing)"),
                    labels: [("trunk", name)])
                gauge.set(Double(1))
                gauges[name] = gauge
            }
        }
        self.gauges = gauges
        self.logger = logger
    }

    /// Tracks exactly `names` after a reload: known trunks keep their state,
    /// new ones start up (their gauge appears after a restart), removed ones go.
    func track(_ names: [String]) {
        states.withLock { states in
            states = Dictionary(uniqueKeysWithValues: names.map { ($0, states[$0] ?? State()) })
        }
    }

    /// True unless `trunk` was marked down (unknown names are up).
    func isUp(_ trunk: String) -> Bool {
        states.withLock { $0[trunk]?.up ?? true }
    }

    /// Claims a handle for a probe of `trunk`, or nil while its last probe is
    /// still in flight (sofia retransmits an unanswered OPTIONS for 32 s).
    func startProbe(_ trunk: String, handle: () -> SIPHandle) -> SIPHandle? {
        probes.withLock { probes in
            guard !probes.values.contains(trunk) else { return nil }
            let id = handle()
            probes[id] = trunk
            return id
        }
    }

    /// The final response to the probe `handle`; false when it was no trunk probe.
    func probeAnswered(_ handle: SIPHandle, status: Int) -> Bool {
        guard let trunk = probes.withLock({ $0.removeValue(forKey: handle) }) else { return false }
        probed(trunk, status: status)
        return true
    }

    /// The URI a probe of `trunk` is sent to: its host, port and transport.
    static func probeURI(_ trunk: TrunkConfig) -> String {
        trunk.sipURI().description
    }

    /// Records a keepalive probe's final status for `trunk`.
    func probed(_ trunk: String, status: Int) {
        let answered = status != 408 && status != 503 && status < 700
        let change: Bool? = states.withLock { states in
            guard var state = states[trunk] else { return nil }
            defer { states[trunk] = state }
            if answered {
                state.misses = 0
                guard !state.up else { return nil }
                state.up = true
                return true
            }
            state.misses += 1
            guard state.up, state.misses >= Self.downAfter else { return nil }
            state.up = false
            return false
        }
        guard let change else { return }
        gauges[trunk]?.set(Double(change ? 1 : 0))
        if change {
            logger.notice("trunk up: answers OPTIONS again", metadata: ["trunk": "\(trunk)", "status": "\(status)"])
        } else {
            logger.warning("trunk down: no answer to OPTIONS, skipped by routing",
                           metadata: ["trunk": "\(trunk)", "misses": "\(Self.downAfter)",
                                      "cause": "\(SIPFailureCause.describe(status: status, phrase: nil))"])
        }
    }
}
