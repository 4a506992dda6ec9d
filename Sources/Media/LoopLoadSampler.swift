// The media clock's side of MediaLoopLoad: tick lateness counted on the loop,
// the thread's CPU clock read once per window.

import Glibc
import NIOCore

/// Measures one event loop from its `MediaTicker`: each tick records how late it
/// fired (one bucket increment), and once per `window` the thread's CPU time is
/// read (`CLOCK_THREAD_CPUTIME_ID`, one system call) and the window's busy ratio
/// and lateness published to the loop's `MediaLoopLoad`. Allocated once; nothing
/// per tick allocates. Used on its loop only.
final class LoopLoadSampler {
    /// How long one measurement covers: short enough that admission sees a
    /// loop fill within a fraction of a second, long enough to average a few
    /// 20 ms periods of bursty work.
    static let window = TimeAmount.milliseconds(500)
    /// Lateness bucket width (0.1 ms); the last bucket takes 20 ms and more.
    static let bucketNanoseconds: Int64 = 100_000
    static let bucketCount = 201

    /// Where the measurements go.
    let load: MediaLoopLoad
    private let buckets = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: bucketCount)
    private var samples = 0
    private var latest: Int64 = 0
    private var windowStart = NIODeadline.uptimeNanoseconds(0)
    private var cpuAtStart: Int64 = 0
    private var running = false

    init(load: MediaLoopLoad) {
        self.load = load
        buckets.initialize(repeating: 0)
    }

    deinit {
        buckets.deallocate()
    }

    /// The ticker started: a new window opens at `now`.
    func start(now: NIODeadline) {
        running = true
        reset(now: now)
    }

    /// The ticker stopped (no media left on the loop): the loop reads as idle.
    func stop() {
        running = false
        load.publish(busy: 0, latenessP99: 0, latenessMax: 0)
    }

    /// One tick fired `lateness` after its deadline; closes the window when it is over.
    func record(lateness: TimeAmount, now: NIODeadline) {
        let nanoseconds = max(0, lateness.nanoseconds)
        buckets[Int(min(nanoseconds / Self.bucketNanoseconds, Int64(Self.bucketCount - 1)))] &+= 1
        samples += 1
        latest = max(latest, nanoseconds)
        guard running, now - windowStart >= Self.window else { return }
        let wall = (now - windowStart).nanoseconds
        let busy = Double(Self.threadCPUNanoseconds() - cpuAtStart) / Double(max(1, wall))
        load.publish(busy: busy, latenessP99: percentile99(), latenessMax: latest)
        reset(now: now)
    }

    private func reset(now: NIODeadline) {
        for index in buckets.indices { buckets[index] = 0 }
        samples = 0
        latest = 0
        windowStart = now
        cpuAtStart = Self.threadCPUNanoseconds()
    }

    /// The upper edge of the bucket holding the 99th percentile tick.
    private func percentile99() -> Int64 {
        let wanted = (samples * 99 + 99) / 100
        var seen = 0
        for index in buckets.indices {
            seen += Int(buckets[index])
            if seen >= wanted { return Int64(index + 1) * Self.bucketNanoseconds }
        }
        return Int64(Self.bucketCount) * Self.bucketNanoseconds
    }

    /// CPU time the calling thread has used, in nanoseconds.
    static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
