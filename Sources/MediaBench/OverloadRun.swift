// `--mode=overload`: more calls offered than the bridge loop can carry, with
// media flowing from the first call, once without admission and once with the
// gateway's rule (`[media] admission_max_busy`: refuse while the least busy
// media loop's measured busy ratio is at or above the limit).
import Foundation
import Media
import NIOCore

extension LoadRun {
    /// What an overload run offered, admitted and delivered.
    struct OverloadOutcome {
        var offered: Int
        var admitted: Int
        var result: Result
        var busy: Double
        var latenessP99: Double
        var resyncs: Int
    }

    /// Offers `offered` calls `perStep` at a time, `pause` apart (longer than one
    /// load window, so each step sees the load the previous one added), peers
    /// sending from the first call on. With `maxBusy`, a call is opened only while
    /// the bridge loop's measured busy ratio is below it. Then measures the
    /// admitted calls over the window.
    func runOverload(offered: Int, maxBusy: Double?, perStep: Int = 5,
                     pause: Duration = .milliseconds(600)) async throws -> OverloadOutcome {
        let peerLoop = peerGroup.next()
        let bridgeLoop = bridgeGroup.next()
        let resyncsBefore = MediaLoopLoad.all.reduce(0) { $0 + $1.resyncs }
        let driver = try await peerLoop.submit { NIOLoopBound(SIPPeerDriver(), eventLoop: peerLoop) }.get()
        try await peerLoop.submit { driver.value.start(on: peerLoop) }.get()
        var calls: [Call] = []
        for step in stride(from: 0, to: offered, by: perStep) {
            for _ in step..<min(offered, step + perStep) {
                if let maxBusy, MediaLoopLoad.leastBusyRatio(in: bridgeGroup) >= maxBusy { continue }
                calls.append(try await openCall(peerLoop: peerLoop, driver: driver))
            }
            try await Task.sleep(for: pause)
        }
        try await Task.sleep(for: .seconds(1.5))  // the last calls connect and fill their jitter buffers
        let first = try await snapshot(calls, bridgeLoop: bridgeLoop)
        try await Task.sleep(for: .milliseconds(Int(window * 1000)))
        let second = try await snapshot(calls, bridgeLoop: bridgeLoop)
        let load = MediaLoopLoad.all.max { $0.busyRatio < $1.busyRatio }
        let resyncs = MediaLoopLoad.all.reduce(0) { $0 + $1.resyncs } - resyncsBefore
        try await peerLoop.submit { driver.value.stop() }.get()
        await close(calls)
        return OverloadOutcome(offered: offered, admitted: calls.count,
                               result: Self.evaluate(first, second, calls: max(1, calls.count), memory: 0),
                               busy: load?.busyRatio ?? 0, latenessP99: load?.tickLatenessP99 ?? 0, resyncs: resyncs)
    }
}

/// Runs the overload comparison at 48 kHz, complexity 10 (the heaviest setting):
/// `--calls=N` offered (default 100), first without admission, then with
/// `--max-busy=P` percent (default 85, the gateway's default).
@MainActor func compareOverload() async throws {
    let offered = Int(arguments.first { $0.hasPrefix("--calls=") }?.dropFirst(8) ?? "") ?? 100
    let maxBusy = (Double(arguments.first { $0.hasPrefix("--max-busy=") }?.dropFirst(11) ?? "") ?? 85) / 100
    var run = makeRun(passThrough: false)
    run.sampleRate = 48_000
    run.complexity = 10
    print("overload: \(offered) calls offered, 5 every 0.6 s, 48 kHz, complexity 10, one bridge loop")
    for limit in [nil, maxBusy] as [Double?] {
        let outcome = try await run.runOverload(offered: offered, maxBusy: limit)
        let label = limit.map { String(format: "admission at %.0f%%", $0 * 100) } ?? "no admission"
        print(String(format: "  %@: %d admitted of %d  loss %.3f%%  late %.3f%%  delivered %.1f%%  p99 %.0f µs  loop busy %.2f  tick p99 %.1f ms  resyncs %d",
                     label, outcome.admitted, outcome.offered, outcome.result.lossFraction * 100,
                     outcome.result.lateFraction * 100, outcome.result.deliveredRatio * 100, outcome.result.p99,
                     outcome.busy, outcome.latenessP99 * 1000, outcome.resyncs))
        try await Task.sleep(for: .seconds(2))
    }
}
