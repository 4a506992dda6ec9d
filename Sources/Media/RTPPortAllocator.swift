import Synchronization

/// Hands out even RTP ports from the configured range (RTP on the even port,
/// RTCP on the next odd one when not muxed), chosen at random so a stranger
/// cannot predict the next call's port (the first step of an RTP hijack).
/// A released port rests in a short quarantine before it can be handed out
/// again (late packets of the old call must not reach the next one). Every
/// allocation and release is O(1). Every allocation must be released on every
/// exit path of a call.
public final class RTPPortAllocator: Sendable {
    private struct State {
        /// Free ports, unordered: allocation swaps a random one out.
        var free: [Int]
        /// Released ports, oldest first, not handed out until the quarantine is full.
        var quarantine: [Int] = []
        var quarantineHead = 0
        var inUse: Set<Int> = []
        var random: any RandomNumberGenerator & Sendable
    }
    private let range: ClosedRange<Int>
    private let state: Mutex<State>
    /// How many released ports rest before reuse.
    let quarantineLimit: Int

    /// Creates an allocator over `range` (its bounds are rounded inwards to even ports).
    /// - Parameter random: where the port choice comes from (a seeded generator in tests).
    public init(range: ClosedRange<Int>, random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        let low = range.lowerBound + range.lowerBound % 2
        self.range = low...max(low, range.upperBound)
        let ports = Array(stride(from: low, through: max(low, range.upperBound), by: 2))
        quarantineLimit = min(64, ports.count / 2)
        state = Mutex(State(free: ports, random: random))
    }

    /// How many ports are allocated now.
    public var allocatedCount: Int { state.withLock { $0.inUse.count } }

    /// How many even ports the range holds.
    public var capacity: Int { (range.upperBound - range.lowerBound) / 2 + 1 }

    /// A free even port picked at random, or nil when the range is exhausted
    /// (a quarantined port is handed out only when no other is free).
    public func allocate() -> Int? {
        state.withLock { state in
            let port: Int
            if !state.free.isEmpty {
                let index = Int.random(in: 0..<state.free.count, using: &state.random)
                state.free.swapAt(index, state.free.count - 1)
                port = state.free.removeLast()
            } else if let oldest = Self.popQuarantine(&state) {
                port = oldest
            } else {
                return nil
            }
            state.inUse.insert(port)
            return port
        }
    }

    /// Returns a port to the pool (through the quarantine). Releasing a port
    /// twice, or one never allocated, is harmless.
    public func release(_ port: Int) {
        state.withLock { state in
            guard state.inUse.remove(port) != nil else { return }
            state.quarantine.append(port)
            if state.quarantine.count - state.quarantineHead > quarantineLimit, let oldest = Self.popQuarantine(&state) {
                state.free.append(oldest)
            }
        }
    }

    /// Takes the oldest quarantined port; compacts the queue now and then (amortised O(1)).
    private static func popQuarantine(_ state: inout State) -> Int? {
        guard state.quarantineHead < state.quarantine.count else { return nil }
        let port = state.quarantine[state.quarantineHead]
        state.quarantineHead += 1
        if state.quarantineHead >= 64, state.quarantineHead * 2 >= state.quarantine.count {
            state.quarantine.removeFirst(state.quarantineHead)
            state.quarantineHead = 0
        }
        return port
    }
}
