import Foundation

/// The share of wall time the virtual machine's CPUs did not run at all over an interval: the CPU time
/// /proc/stat accounts for (every state, idle included) against the wall time × the CPUs. On a bare machine
/// it stays near 0; on a shared virtual machine whose host does not report steal time, the gap is the time
/// the host took the CPUs away. A ladder step that failed while the host took more than a little time
/// failed for the host, not for the system under test.
struct HostTime {
    private let jiffies: Double
    private let wall: ContinuousClock.Instant

    init() {
        jiffies = Self.accountedJiffies()
        wall = .now
    }

    /// The fraction (0–1) of the CPUs' wall time since `init` that /proc/stat does not account for.
    func lostFraction() -> Double {
        let elapsed = ContinuousClock.now - wall
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let expected = seconds * Double(sysconf(Int32(_SC_CLK_TCK))) * Double(ProcessInfo.processInfo.activeProcessorCount)
        guard expected > 0 else { return 0 }
        return max(0, min(1, 1 - (Self.accountedJiffies() - jiffies) / expected))
    }

    /// The sum of the first line of /proc/stat (all CPUs, every state), in clock ticks.
    private static func accountedJiffies() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return 0 }
        return line.split(separator: " ").dropFirst().compactMap { Double($0) }.reduce(0, +)
    }
}
