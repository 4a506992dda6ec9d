import CallControl
import Config
import Prometheus
import Synchronization

/// The one metrics registry behind `GET /metrics` and the call-level series in it:
/// calls started, ended and active, and the INVITE→200 setup time end to end.
///
/// Labels are bounded by construction: directions and end reasons are enums,
/// business numbers appear by their name (the `[number:NAME]` section, or the
/// name onboarding gave the number; `other` for an id no served number has),
/// and Meta's error code
/// is one of the codes of the failure-mapping table, else `other` (Asterisk's
/// `res_prometheus` and rtpengine likewise never label by call id or party).
/// Counters are atomics inside the registry's series; series are looked up once
/// per call event, never per packet.
final class GatewayMetrics: Sendable {
    /// The registry every wagate series lives in.
    let registry: PrometheusCollectorRegistry
    /// phone_number_id → name of every number served, and each name labelled so far.
    let numbers: Mutex<NumberLabels>
    /// The hand-written per-number counters, told of each newly labelled number.
    private let numberCounters: NumberCounters?
    private let live = Mutex([CallID: LiveCall]())
    /// Calls tracked at most, far above any `max_calls`; past it the table is cleared in bulk.
    static let liveCapacity = 20_000

    /// What the end of a call needs from its start.
    private struct LiveCall {
        var direction: String
        var number: String
        /// When the call started, until it is answered.
        var since: ContinuousClock.Instant?
    }
    /// Buckets of the end-to-end setup time: a phone ringing a person takes seconds.
    static let setupBuckets: [Duration] = [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120].map {
        .milliseconds(Int64($0 * 1_000))
    }

    /// Creates the series for `config`'s numbers, all at zero so dashboards and rate() see them from the start.
    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), config: GatewayConfig,
         counters: NumberCounters? = nil) {
        self.registry = registry
        numberCounters = counters
        var labels = NumberLabels()
        let fresh = labels.follow(config.numbers) + ["other"]
        numbers = Mutex(labels)
        for direction in BridgeDirection.allCases {
            zeroNumbers(fresh, direction: direction)
            _ = setupHistogram(direction.rawValue)
        }
        zeroAdapters()
        zeroTransfers()
    }

    /// The `number` label of `id`: its name, else `other`.
    func numberLabel(_ id: WhatsAppNumberID?) -> String {
        guard let id else { return "other" }
        return numbers.withLock { $0.label(of: id.rawValue) }
    }

    /// Labels calls by `served` (every number call control serves, after a
    /// reload or an onboarding change) from now on; a newly labelled number's
    /// series exist at zero from here. A removed number's series stay, as
    /// Prometheus counters do until restart; calls in progress keep their label.
    func follow(numbers served: [NumberConfig]) {
        let fresh = numbers.withLock { $0.follow(served) }
        numberCounters?.addNumberNames(fresh)
        for direction in BridgeDirection.allCases { zeroNumbers(fresh, direction: direction) }
    }

    private func zeroNumbers(_ labels: [String], direction: BridgeDirection) {
        for number in labels {
            _ = active(direction.rawValue, number)
            _ = started(direction.rawValue, number)
        }
    }

    /// The `code` label of a Meta error code: the code if the failure-mapping table
    /// (or the terminate-only table) knows it, `none` without one, else `other`.
    static func codeLabel(_ code: Int?) -> String {
        guard let code else { return "none" }
        return FailureMapping.isDocumented(code: code) ? String(code) : "other"
    }

    // MARK: - Call events

    /// A call exists (a second start of the same call is not counted again).
    func callStarted(_ call: CallID, direction: BridgeDirection, number: WhatsAppNumberID?) {
        let entry = LiveCall(direction: direction.rawValue, number: numberLabel(number), since: .now)
        let fresh = live.withLock { table in
            if table.count >= Self.liveCapacity { table.removeAll(keepingCapacity: true) }
            return table.updateValue(entry, forKey: call) == nil
        }
        guard fresh else { return }
        started(entry.direction, entry.number).increment()
        active(entry.direction, entry.number).increment()
    }

    /// The call was answered: the end-to-end setup time is observed.
    func callAnswered(_ call: CallID) {
        let answered = live.withLock { table -> (String, ContinuousClock.Instant)? in
            guard let entry = table[call], let since = entry.since else { return nil }
            table[call]?.since = nil
            return (entry.direction, since)
        }
        guard let (direction, since) = answered else { return }
        setupHistogram(direction).record(ContinuousClock.now - since)
    }

    private func setupHistogram(_ direction: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("wagate_call_setup_seconds",
                                        "Call setup end to end: INVITE or call webhook received to answer"),
            labels: [("direction", direction)], buckets: Self.setupBuckets)
    }

    /// The call ended on both legs.
    /// A call recovered from a previous run was never started here: its direction is `recovered`.
    func callEnded(_ call: CallID, ending: CallEnding) {
        let entry = live.withLock { $0.removeValue(forKey: call) }
        if let entry { active(entry.direction, entry.number).decrement() }
        counter("wagate_calls_ended_total",
                "Calls ended, by direction, end cause, who ended them and Meta's error code",
                [("direction", entry?.direction ?? "recovered"), ("cause", ending.reason.rawValue),
                 ("ended_by", ending.endedBy.rawValue), ("code", Self.codeLabel(ending.whatsAppCode))]).increment()
    }

    private func active(_ direction: String, _ number: String) -> Gauge {
        gauge("wagate_calls_active", "Calls in progress, by direction and business number",
              [("direction", direction), ("number", number)])
    }

    private func started(_ direction: String, _ number: String) -> Counter {
        counter("wagate_calls_started_total", "Calls started, by direction and business number",
                [("direction", direction), ("number", number)])
    }

    /// The descriptor of the full metric `name` with its `help` text.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// A labelled counter of `name`, created at first use.
    func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// A gauge of `name`, created at first use.
    func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }
}
