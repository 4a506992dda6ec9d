import NIOCore
import Synchronization

/// The 20 ms media clock of one event loop: every WebRTC leg on the loop sends
/// its frame from this ticker instead of arming its own timer every 20 ms (a
/// scheduled-task allocation and a heap operation per leg per frame). The 20 ms
/// are cut into `slots` phases 2 ms apart and each leg joins the emptiest one,
/// so the Opus encodes of a loaded loop are spread over the period rather than
/// run in one burst that would delay every packet arriving meanwhile (one
/// burst of 120 encodes measured 8 ms of added p99 latency; spread, it stays
/// under 1 ms). The ticker wakes only for phases that have members (two calls
/// on a loop cost two wakes per period, not ten), and stops when none has.
/// Registration happens on the loop, at media start and stop only; a tick
/// walks one phase in order and allocates nothing. Members are held weakly, so
/// one that goes away unannounced only leaves a blank slot. Each tick also
/// measures the loop (`LoopLoadSampler`): how late it fired, and once per
/// window the thread's busy ratio.
final class MediaTicker {
    /// Something that sends one frame per 20 ms. `due` is the frame's deadline.
    protocol Member: AnyObject {
        func tick(due: NIODeadline)
    }

    private struct Slot {
        weak var member: (any Member)?
    }

    /// Phases per 20 ms period.
    static let slots = 10
    static let step = TimeAmount.milliseconds(20 / Int64(slots))

    private let loop: any EventLoop
    private var phases: [[Slot]] = Array(repeating: [], count: MediaTicker.slots)
    private var phase = 0
    private var next = NIODeadline.now()
    private var task: Scheduled<Void>?
    private let sampler: LoopLoadSampler

    private init(loop: any EventLoop) {
        self.loop = loop
        sampler = LoopLoadSampler(load: MediaLoopLoad.of(loop))
    }

    /// The ticker of `loop` (created on first use). Call on `loop`.
    static func current(on loop: any EventLoop) -> MediaTicker {
        let key = ObjectIdentifier(loop as AnyObject)
        return tickers.withLock { table in
            if let existing = table[key] { return existing.ticker }
            let ticker = MediaTicker(loop: loop)
            table[key] = LoopBoundTicker(ticker: ticker)
            return ticker
        }
    }

    /// Adds `member` to the emptiest phase; its first frame goes out when that phase comes round.
    func add(_ member: any Member) {
        let target = phases.indices.min { phases[$0].count < phases[$1].count } ?? 0
        phases[target].append(Slot(member: member))
        if task == nil {
            next = .now()
            phase = target
            sampler.start(now: next)
            schedule()
        }
    }

    /// Removes `member`: blanks its slot, which its phase drops when it next fires
    /// (safe during a tick); the ticker stops once every phase is empty.
    func remove(_ member: any Member) {
        for index in phases.indices {
            for slot in phases[index].indices where phases[index][slot].member === member {
                phases[index][slot].member = nil
            }
        }
    }

    private func schedule() {
        task = loop.assumeIsolated().scheduleTask(deadline: next) { [self] in fire() }
    }

    private func fire() {
        let due = next
        let current = phase
        let now = NIODeadline.now()
        sampler.record(lateness: now - due, now: now)
        var index = 0
        while index < phases[current].count {
            phases[current][index].member?.tick(due: due)
            index += 1
        }
        phases[current].removeAll { $0.member == nil }
        guard let ahead = distanceToNextMembers(after: current) else {
            task = nil
            sampler.stop()
            return
        }
        phase = (current + ahead) % Self.slots
        next = next + Self.step * Int64(ahead)
        if now - next > .milliseconds(100) {  // fell far behind: resync
            next = now
            sampler.load.countResync()
        }
        schedule()
    }

    /// How many phases ahead the next phase with members is (`slots` when only
    /// `current` has any: the same phase, one period later); nil when none has.
    private func distanceToNextMembers(after current: Int) -> Int? {
        for distance in 1...Self.slots where !phases[(current + distance) % Self.slots].isEmpty {
            return distance
        }
        return nil
    }

    /// Tickers by loop. Touched at media start only; each ticker itself is used on its loop alone.
    private static let tickers = Mutex<[ObjectIdentifier: LoopBoundTicker]>([:])

    /// Safe to share: a ticker is created and used on one event loop, and the table
    /// only hands it back to that loop. The ticker holds its loop, so the loop's
    /// identifier cannot be reused by another loop while the entry exists.
    private final class LoopBoundTicker: @unchecked Sendable {
        let ticker: MediaTicker
        init(ticker: MediaTicker) { self.ticker = ticker }
    }
}
