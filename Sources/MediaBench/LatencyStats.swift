import Foundation

/// Percentiles of the bridges' 10 µs latency buckets, and of the peers' 1 ms added-delay buckets.
enum LatencyStats {
    /// p99 added delay at the peers, ms, and the fraction of packets 20 ms or more behind.
    static func peerDelay(_ buckets: [Int]) -> (p99: Double, late: Double) {
        let total = buckets.reduce(0, +)
        guard total > 0 else { return (0, 1) }
        let late = buckets.dropFirst(20).reduce(0, +)
        return (percentile(0.99, buckets) / 10, Double(late) / Double(total))
    }

    static func percentile(_ fraction: Double, _ buckets: [Int]) -> Double {
        let total = buckets.reduce(0, +)
        guard total > 0 else { return 0 }
        let wanted = Int((Double(total) * fraction).rounded(.up))
        var seen = 0
        for (index, count) in buckets.enumerated() {
            seen += count
            if seen >= wanted { return Double((index + 1) * 10) }
        }
        return Double(buckets.count * 10)
    }
}
