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
    private let gauges: [String: Gauge]
    private let logger: Logger

    /// Health for `config`'s trunks, all up, with a gauge each in `registry` (none when nil).
    init(config: GatewayConfig, registry: PrometheusCollectorRegistry?, logger: Logger) {
        let names = config.trunks.map(\.name)
        states = Mutex(Dictionary(uniqueKeysWithValues: names.map { ($0, State()) }))
        var gauges: [String: Gauge] = [:]
        if let registry {
            for name in names {
                let gauge = registry.makeGauge(
                    name: "wagate_trunk_up", labels: [("trunk", name)],
                    help: "Trunk answers the OPTIONS keepalive: 1 up, 0 down (skipped by routing)")
                gauge.set(Double(1))
                gauges[name] = gauge
            }
        }
        self.gauges = gauges
        self.logger = logger
    }

    /// True unless `trunk` was marked down (unknown names are up).
    func isUp(_ trunk: String) -> Bool {
        states.withLock { $0[trunk]?.up ?? true }
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
