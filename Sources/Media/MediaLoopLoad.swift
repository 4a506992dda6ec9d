// The measured headroom of each media event loop: how much of the wall time
// its thread spends running, and how late its 20 ms media clock fires. Media
// only measures and reports; call control decides admission from it.

public import NIOCore
import Synchronization

/// One media event loop's measured load, published every `LoopLoadSampler.window`
/// by the loop's `MediaTicker` and read from any thread (metrics, admission,
/// the choice of a new call's loop). A loop whose ticker is idle carries no
/// media and reads as not busy.
public final class MediaLoopLoad: Sendable {
    /// The loop's label in metrics: "0", "1", … in the order loops first carried media.
    public let label: String
    private let busyMillionths = Atomic<Int>(0)
    private let latenessP99Nanoseconds = Atomic<Int>(0)
    private let latenessMaxNanoseconds = Atomic<Int>(0)
    private let resyncCount = Atomic<Int>(0)

    init(label: String) { self.label = label }

    /// The fraction of the last window's wall time the loop's thread spent on
    /// the CPU (thread CPU time per wall time): 0 idle, 1 saturated.
    public var busyRatio: Double { Double(busyMillionths.load(ordering: .relaxed)) / 1_000_000 }
    /// How late the media clock fired, 99th percentile over the last window, in seconds
    /// (0.1 ms resolution; 20 ms or more reads as 20 ms).
    public var tickLatenessP99: Double { Double(latenessP99Nanoseconds.load(ordering: .relaxed)) / 1e9 }
    /// The latest the media clock fired in the last window, in seconds.
    public var tickLatenessMax: Double { Double(latenessMaxNanoseconds.load(ordering: .relaxed)) / 1e9 }
    /// What admission and the choice of a loop go by: the loop's own busy ratio. The
    /// media clock's lateness is published beside it for alerting but is not an input:
    /// it also rises when other processes take the core for a moment (a backup, a
    /// build), and refusing calls on such a blip would turn callers away from a loop
    /// with CPU to spare. A loop that is itself saturated shows in its busy ratio.
    public var admissionLoad: Double { busyRatio }
    /// Times the media clock fell more than 100 ms behind and skipped ahead, since start.
    public var resyncs: Int { resyncCount.load(ordering: .relaxed) }

    func publish(busy: Double, latenessP99: Int64, latenessMax: Int64) {
        busyMillionths.store(Int((busy * 1_000_000).rounded()), ordering: .relaxed)
        latenessP99Nanoseconds.store(Int(latenessP99), ordering: .relaxed)
        latenessMaxNanoseconds.store(Int(latenessMax), ordering: .relaxed)
    }

    func countResync() {
        resyncCount.add(1, ordering: .relaxed)
    }

    // MARK: - Every loop's load

    private struct Entry: Sendable {
        let loop: any EventLoop
        let load: MediaLoopLoad
    }

    /// Loads by loop, in the order loops first carried media. Touched at media
    /// start (a ticker's creation), by a new call's loop choice and by readers.
    private static let table = Mutex<[ObjectIdentifier: Entry]>([:])

    /// The load of `loop`, created on first use.
    static func of(_ loop: any EventLoop) -> MediaLoopLoad {
        let key = ObjectIdentifier(loop as AnyObject)
        return table.withLock { table in
            if let existing = table[key] { return existing.load }
            let load = MediaLoopLoad(label: String(table.count))
            table[key] = Entry(loop: loop, load: load)
            return load
        }
    }

    /// Every loop that has carried media, by label.
    public static var all: [MediaLoopLoad] {
        table.withLock { $0.values.map(\.load) }.sorted { (Int($0.label) ?? 0) < (Int($1.label) ?? 0) }
    }

    /// The ``admissionLoad`` of the least loaded loop of `group` (0 when none has carried
    /// media yet): the headroom a new call has, since a new call goes to that loop.
    public static func leastBusyRatio(in group: any EventLoopGroup) -> Double {
        let loads = table.withLock { table in
            group.makeIterator().map { table[ObjectIdentifier($0 as AnyObject)]?.load.admissionLoad ?? 0 }
        }
        return loads.min() ?? 0
    }

    /// The loop of `group` a new call's media goes to: the group's next loop in turn
    /// while it is within `balance` of the least busy one, else the least busy one,
    /// so calls spread evenly over balanced loops and steer off a loaded one.
    public static func loop(for group: any EventLoopGroup, balance: Double = 0.05) -> any EventLoop {
        let turn = group.next()
        let candidates = table.withLock { table in
            group.makeIterator().map { ($0, table[ObjectIdentifier($0 as AnyObject)]?.load.admissionLoad ?? 0) }
        }
        guard let least = candidates.min(by: { $0.1 < $1.1 }) else { return turn }
        let turnBusy = candidates.first { $0.0 === turn }?.1 ?? 0
        return turnBusy <= least.1 + balance ? turn : least.0
    }
}
