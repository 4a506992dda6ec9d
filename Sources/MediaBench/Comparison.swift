import Foundation

/// The default run (`make bench`): each mode's ladder through wagate's bridge and then through rtpengine (when
/// `--rtpengine=PORT:PID` names a running one), the same generator, calls and pinning; then one table with both
/// side by side, the ratio, the libopus-only ceilings and memory per call.
@MainActor
struct Comparison {
    let modes: [BenchMode]
    let ladder: Ladder
    let rtpengine: (port: Int, pid: Int32)?
    let ceiling: CodecCeiling.Result
    let ceilingMany: CodecCeiling.Result
    let heavy: CodecCeiling.Result
    let heavyWideband: CodecCeiling.Result
    let heavyFullband: CodecCeiling.Result

    /// Each mode's outcome on both systems.
    private(set) var wagate: [BenchMode: Ladder.Outcome] = [:]
    private(set) var peer: [BenchMode: Ladder.Outcome] = [:]
    /// Each mode's paired CPU cost: both systems at the same call count, alternated.
    private(set) var paired: [BenchMode: Paired] = [:]

    /// CPU per call per 20 ms of both systems at one call count that both hold, measured in alternating
    /// windows (wagate, rtpengine, wagate, …) so that both see the same machine. On a shared virtual machine
    /// the CPU a core delivers drifts by tens of per cent over minutes; the ladders, minutes apart, carry that
    /// drift into their ratio, and the alternating medians do not.
    struct Paired {
        let calls: Int
        let wagate: Double
        let rtpengine: Double
    }

    /// Where each mode's ladder starts: a third of the codec ceiling for transcoding, 200 for pass-through.
    func start(_ mode: BenchMode) -> Int {
        switch mode {
        case .transcoded: max(ladder.fineStep, Int(ceilingMany.callsPerCore / 3 / 10) * 10)
        case .heavy: max(ladder.fineStep, Int(heavy.callsPerCore / 3 / 10) * 10)
        case .opusPass, .g711Pass: 200
        }
    }

    /// Seconds after which no further mode starts, so that the table prints within the script's limit
    /// (`--budget=S`; the modes not reached show as not run).
    var budget: Double = .infinity

    /// Runs every mode on wagate, then on rtpengine.
    mutating func run() async throws {
        for mode in modes {
            guard elapsed() < budget else {
                print("\(mode.label): not run, the time budget of \(Int(budget)) s is spent")
                continue
            }
            var steps = ladder
            steps.start = start(mode)
            print("\(mode.label): wagate")
            do {
                wagate[mode] = try await climbWagate(mode, steps)
            } catch let error as Ladder.OutOfTime {
                print("  wagate: \(mode.label) not finished: \(error)")
                continue
            }
            guard let rtpengine else { continue }
            print("\(mode.label): rtpengine")
            var engine = try RTPEngineRun(port: rtpengine.port, pid: rtpengine.pid, peerGroup: peerGroup, mode: mode,
                                          phonePayload: mode == .opusPass ? sipOpus : pcmu, userPayload: mode == .g711Pass ? pcmu : userOpus,
                                          window: ladder.shortWindow)
            // A failure on rtpengine's side ends its ladder for this mode, not the benchmark: the table shows
            // the mode as not measured on rtpengine, and the error says why.
            do {
                peer[mode] = try await steps.climb("rtpengine") { calls, window in
                    engine.window = window
                    return try await engine.run(calls: calls)
                }
            } catch {
                print("  rtpengine: \(mode.label) not measured: \(error)")
                continue
            }
            do {
                paired[mode] = try await pair(mode, engine: &engine)
            } catch {
                print("  paired: \(mode.label) not measured: \(error)")
            }
        }
    }

    private func climbWagate(_ mode: BenchMode, _ steps: Ladder) async throws -> Ladder.Outcome {
        try await steps.climb("wagate   ") { calls, window in try await wagateRun(mode, window: window).run(calls: calls) }
    }

    /// wagate's bridge set up for `mode`, measuring over `window` seconds.
    private func wagateRun(_ mode: BenchMode, window: Double) -> LoadRun {
        var run = makeRun(passThrough: mode == .opusPass)
        run.window = window
        run.whatsAppG711 = mode == .g711Pass
        if mode == .heavy { (run.sampleRate, run.complexity) = (48_000, 10) }
        return run
    }

    /// Rounds of the paired measurement, and its call count: 60 % of the smaller confirmed knee (at least 10),
    /// so neither system is near its limit and both run clean.
    static let pairedRounds = 3

    private func pair(_ mode: BenchMode, engine: inout RTPEngineRun) async throws -> Paired? {
        let knees = [wagate[mode]?.confirmed?.calls, peer[mode]?.confirmed?.calls].compactMap { $0 }
        guard let smaller = knees.min() else { return nil }
        let calls = max(10, smaller * 6 / 10)
        // Each round is two windows plus about 3 s of call setup on each side.
        guard elapsed() + Double(Self.pairedRounds) * 2 * (ladder.shortWindow + 3) < ladder.stopBy else {
            print("\(mode.label): paired CPU cost not measured: out of time")
            return nil
        }
        var ours: [Double] = [], theirs: [Double] = []
        print("\(mode.label): paired CPU cost at \(calls) calls, \(Self.pairedRounds) alternating rounds")
        for _ in 0..<Self.pairedRounds {
            ours.append(try await wagateRun(mode, window: ladder.shortWindow).run(calls: calls).cpuMicrosecondsPerCallSecond / 50)
            engine.window = ladder.shortWindow
            theirs.append(try await engine.run(calls: calls).cpuMicrosecondsPerCallSecond / 50)
            print(String(format: "  wagate %.0f, rtpengine %.0f µs/call/20 ms", ours.last ?? 0, theirs.last ?? 0))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Paired(calls: calls, wagate: median(ours), rtpengine: median(theirs))
    }

    /// Prints the table.
    func printTable(memory: (call: Double, legPair: Double, bridge: Double)) {
        func calls(_ outcome: Ladder.Outcome?) -> String { outcome.map { $0.confirmed.map { "\($0.calls)" } ?? "none held" } ?? "not run" }
        func cpu(_ outcome: Ladder.Outcome?) -> String { outcome?.confirmed.map { String(format: "%.0f", $0.cpuMicrosecondsPerCallSecond / 50) } ?? "—" }
        func delay(_ outcome: Ladder.Outcome?) -> String { outcome?.confirmed.map { String(format: "%.0f ms", $0.peerDelayP99) } ?? "—" }
        func memoryCell(_ outcome: Ladder.Outcome?) -> String { outcome?.confirmed.map { String(format: "%.0f KB", $0.memoryPerCallKB) } ?? "—" }
        print("")
        print(String(format: "confirm window %.0f s, coarse window %.0f s; the system under test on CPU 0, the generator on CPU 1; load average %@",
                     ladder.confirmWindow, ladder.shortWindow, loadAverage()))
        print("")
        print("| mode | wagate calls/core | wagate CPU µs/call/20 ms | wagate peer p99 added delay | rtpengine calls/core | rtpengine CPU µs/call/20 ms | rtpengine peer p99 added delay | wagate ÷ rtpengine |")
        print("|---|---|---|---|---|---|---|---|")
        for mode in modes {
            let ours = wagate[mode]?.confirmed, theirs = peer[mode]?.confirmed
            let ratio = ours.flatMap { o in theirs.map { String(format: "%.2f×", Double(o.calls) / Double($0.calls)) } } ?? "—"
            print("| \(mode.label) | \(calls(wagate[mode])) | \(cpu(wagate[mode])) | \(delay(wagate[mode])) | \(calls(peer[mode])) | \(cpu(peer[mode])) | \(delay(peer[mode])) | \(ratio) |")
        }
        if !paired.isEmpty {
            print("")
            print("| mode | paired calls | wagate CPU µs/call/20 ms (median) | rtpengine CPU µs/call/20 ms (median) | rtpengine ÷ wagate CPU per call |")
            print("|---|---|---|---|---|")
            for mode in modes {
                guard let pair = paired[mode] else { continue }
                print(String(format: "| %@ | %d | %.0f | %.0f | %.2f× |", mode.label, pair.calls, pair.wagate, pair.rtpengine,
                             pair.rtpengine / pair.wagate))
            }
        }
        let best = wagate[.transcoded]?.confirmed.map { Double($0.calls) }
        func share(_ ceiling: CodecCeiling.Result) -> String { best.map { String(format: "%.0f %%", 100 * $0 / ceiling.callsPerCore) } ?? "—" }
        print("")
        print("| figure | value |")
        print("|---|---|")
        print(String(format: "| libopus-only ceiling, 8 kHz c5 24 kbit/s, one warm instance | %.0f calls/core (%.1f µs/call/20 ms); wagate at %@ of it |",
                     ceiling.callsPerCore, ceiling.microsecondsPerFrame, share(ceiling)))
        print(String(format: "| the same cycling 150 instances (cache-cold) | %.0f calls/core (%.1f µs/call/20 ms); wagate at %@ of it |",
                     ceilingMany.callsPerCore, ceilingMany.microsecondsPerFrame, share(ceilingMany)))
        print(String(format: "| libopus-only ceiling, 48 kHz c10, narrowband (wagate's band for G.711) | %.0f calls/core (%.1f µs/call/20 ms) |",
                     heavy.callsPerCore, heavy.microsecondsPerFrame))
        print(String(format: "| the same held to wideband | %.0f calls/core (%.1f µs/call/20 ms) |",
                     heavyWideband.callsPerCore, heavyWideband.microsecondsPerFrame))
        print(String(format: "| the same without a band limit (fullband) | %.0f calls/core (%.1f µs/call/20 ms) |",
                     heavyFullband.callsPerCore, heavyFullband.microsecondsPerFrame))
        print(String(format: "| wagate memory per transcoded call: the bridge / with its peers / a bare WebRTC leg pair | %.0f KB / %.0f KB / %.0f KB |",
                     memory.bridge, memory.call, memory.legPair))
        for mode in modes where peer[mode] != nil {
            print("| rtpengine memory per call (RSS growth ÷ calls), \(mode.label) | \(memoryCell(peer[mode])) |")
        }
    }

    private func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
