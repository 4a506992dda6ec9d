// Test support: waiting for something to change, with a deadline. Not shipped.

import Synchronization

/// Wakes the tasks waiting for something to change (a frame heard, a packet
/// recorded, an event logged), so a test waits on the change itself, bounded
/// by a deadline, instead of sleeping and polling.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Creates a signal.
    public init() {}

    /// Records a change and wakes every waiter. Cheap enough to call per packet.
    public func notify() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            guard !state.waiters.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Waits until `condition` holds, checking it now and after every change,
    /// or until `timeout` passes. Returns whether it held.
    @discardableResult
    public func wait(timeout: Duration = .seconds(5), until condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let generation = state.withLock { $0.generation }
            if await condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            await change(after: generation, before: deadline)
        }
    }

    /// Returns at the first change after `generation`, or at `deadline`.
    private func change(after generation: UInt64, before deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextChange(after: generation) }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextChange(after generation: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = waiter
                    return false
                }
                if resumeNow { waiter.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
