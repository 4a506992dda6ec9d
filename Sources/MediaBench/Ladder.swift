/// The ladder both systems climb, the same way: coarse steps (× `growth`) with short windows until a step fails,
/// then bisection between the last good and the first failed step down to `fineStep` calls, then the candidate
/// confirmed with a long window (stepping down by `fineStep` when it fails, at most twice more).
@MainActor
struct Ladder {
    /// The first step, the largest step tried, and the bisection's resolution.
    var start: Int
    var cap: Int
    var fineStep = 10
    var growth = 1.5
    /// Window of the coarse and bisection steps, and of the confirmation, seconds.
    var shortWindow: Double
    var confirmWindow: Double

    /// The outcome: the confirmed step (nil when none held), and every step run, in order.
    struct Outcome {
        var confirmed: LoadRun.Result?
        var steps: [(window: Double, result: LoadRun.Result)] = []
    }

    /// Climbs with `run(calls, window)`, printing each step under `label`.
    func climb(_ label: String, _ run: (Int, Double) async throws -> LoadRun.Result) async throws -> Outcome {
        var outcome = Outcome()
        func step(_ calls: Int, _ window: Double) async throws -> Bool {
            guard elapsed() + window + 10 < stopBy else { throw OutOfTime() }
            let result = try await run(calls, window)
            outcome.steps.append((window, result))
            printStep(label, window, result)
            try await Task.sleep(for: .milliseconds(500))
            return result.ok
        }
        var good = 0, bad: Int?
        var calls = start
        while true {
            if try await step(calls, shortWindow) {
                good = calls
                guard calls < cap else { break }
                calls = min(cap, rounded(Double(calls) * growth))
            } else {
                bad = calls
                guard good == 0, calls > fineStep else { break }
                calls = max(fineStep, rounded(Double(calls) / 2))
                if calls == bad { break }
            }
        }
        while let failed = bad, failed - good > fineStep, good > 0 {
            let middle = rounded(Double(good + failed) / 2)
            guard middle > good, middle < failed else { break }
            if try await step(middle, shortWindow) { good = middle } else { bad = middle }
        }
        // The confirmation: a failed candidate steps down once.
        var candidate = good
        for _ in 0..<2 where candidate > 0 {
            if try await step(candidate, confirmWindow) {
                outcome.confirmed = outcome.steps.last?.result
                break
            }
            candidate -= fineStep
        }
        return outcome
    }

    /// Seconds into the run after which no step starts (`--stop-by`), so that the table prints before the
    /// script's own limit stops the process.
    var stopBy: Double = .infinity

    /// A step would have run past `stopBy`.
    struct OutOfTime: Error, CustomStringConvertible {
        var description: String { "out of time: the step would end after the run's time limit" }
    }

    private func rounded(_ value: Double) -> Int { max(fineStep, Int((value / Double(fineStep)).rounded()) * fineStep) }

    private func printStep(_ label: String, _ window: Double, _ result: LoadRun.Result) {
        print(String(format: "  %@ %5d calls, %3.0f s: %@ cpu %6.0f µs/call/s (%4.0f calls/core)  peer p99 +%3.0f ms  late %.3f%%  loss %.3f%%  delivered %.1f%%",
                     label, result.calls, window, result.ok ? "ok  " : "FAIL", result.cpuMicrosecondsPerCallSecond, result.callsPerCoreByCPU,
                     result.peerDelayP99, result.peerLateFraction * 100, result.lossFraction * 100, result.deliveredRatio * 100))
    }
}
