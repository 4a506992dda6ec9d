/// Counts per-frame latencies in fixed 10 µs buckets up to 20 ms (the last
/// bucket takes everything longer). Allocated once; `record` allocates nothing.
/// Touched only on one call's event loop.
final class LatencyHistogram {
    /// Bucket width in µs.
    static let bucketMicroseconds = 10
    /// Number of buckets.
    static let bucketCount = 2_001
    private let counts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: bucketCount)
    /// Frames recorded.
    private(set) var total = 0

    init() {
        counts.initialize(repeating: 0)
    }

    deinit {
        counts.deallocate()
    }

    /// Records one latency in nanoseconds (negative values count as zero).
    func record(nanoseconds: Int64) {
        let bucket = Int(max(0, nanoseconds) / 1_000) / Self.bucketMicroseconds
        counts[min(bucket, Self.bucketCount - 1)] &+= 1
        total += 1
    }

    /// A copy of the buckets, for statistics.
    var snapshot: [Int] { counts.map { Int($0) } }

    /// The latency in µs below which `fraction` of the frames fall, from buckets.
    static func percentile(_ fraction: Double, of buckets: [Int]) -> Double {
        let total = buckets.reduce(0, +)
        guard total > 0 else { return 0 }
        let wanted = Int((Double(total) * fraction).rounded(.up))
        var seen = 0
        for (index, count) in buckets.enumerated() {
            seen += count
            if seen >= wanted { return Double((index + 1) * bucketMicroseconds) }
        }
        return Double(buckets.count * bucketMicroseconds)
    }
}
