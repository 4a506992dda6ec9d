import Foundation
import Synchronization

/// Rate-limits the SIP-mode Meta's log lines about what a peer sent wrong, so a
/// hostile or broken peer cannot flood the log: per kind, `burst` lines per
/// `interval`, and the next line admitted says how many were left out.
final class SimulatedMetaSIPLogBudget: Sendable {
    private struct Window {
        var start: Date
        var logged: Int
        var suppressed: Int
    }

    /// Lines allowed per kind per ``interval``.
    let burst: Int
    /// The window length.
    let interval: TimeInterval
    private let windows = Mutex<[String: Window]>([:])

    /// Creates the budget.
    init(burst: Int = 10, interval: TimeInterval = 60) {
        self.burst = burst
        self.interval = interval
    }

    /// The lines left out before this one when a line of `kind` may be logged now, else nil.
    /// `kind` is one of the simulator's own fixed texts, so the table stays small.
    func admit(_ kind: String, now: Date = Date()) -> Int? {
        windows.withLock { windows in
            var window = windows[kind] ?? Window(start: now, logged: 0, suppressed: 0)
            if now.timeIntervalSince(window.start) >= interval {
                window = Window(start: now, logged: 0, suppressed: window.suppressed)
            }
            guard window.logged < burst else {
                window.suppressed += 1
                windows[kind] = window
                return nil
            }
            let suppressed = window.suppressed
            window.logged += 1
            window.suppressed = 0
            windows[kind] = window
            return suppressed
        }
    }
}
