import Synchronization

/// Hands out even RTP ports from the configured range (RTP on the even port,
/// RTCP on the next odd one when not muxed), round-robin so a port just
/// released is not reused at once (late packets of the old call). Every
/// allocation must be released on every exit path of a call.
public final class RTPPortAllocator: Sendable {
    private struct State {
        var inUse: Set<Int> = []
        var next: Int
    }
    private let range: ClosedRange<Int>
    private let state: Mutex<State>

    /// Creates an allocator over `range` (its bounds are rounded inwards to even ports).
    public init(range: ClosedRange<Int>) {
        let low = range.lowerBound + range.lowerBound % 2
        self.range = low...max(low, range.upperBound)
        state = Mutex(State(next: low))
    }

    /// How many ports are allocated now.
    public var allocatedCount: Int { state.withLock { $0.inUse.count } }

    /// How many even ports the range holds.
    public var capacity: Int { (range.upperBound - range.lowerBound) / 2 + 1 }

    /// The next free even port, or nil when the range is exhausted.
    public func allocate() -> Int? {
        state.withLock { state in
            let capacity = (range.upperBound - range.lowerBound) / 2 + 1
            for _ in 0..<capacity {
                let candidate = state.next
                state.next = candidate + 2 > range.upperBound ? range.lowerBound : candidate + 2
                if !state.inUse.contains(candidate) {
                    state.inUse.insert(candidate)
                    return candidate
                }
            }
            return nil
        }
    }

    /// Returns a port to the pool. Releasing a port twice is harmless.
    public func release(_ port: Int) {
        _ = state.withLock { $0.inUse.remove(port) }
    }
}
