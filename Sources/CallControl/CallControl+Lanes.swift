// Per-call serial lanes: port calls of one call run in order, one lane for
// signalling and media, one for Graph requests; and the call timers.

import Foundation

extension CallControl {
    /// Arms (or re-arms) one of a call's timers on the injected clock.
    func armTimer(_ timer: CallTimer, after delay: Duration, for id: CallID) {
        guard calls[id] != nil else { return }
        calls[id]?.timers.removeValue(forKey: timer)?.cancel()
        let handle = clock.schedule(after: delay) { [weak self] in
            await self?.timerFired(timer, for: id)
        }
        calls[id]?.timers[timer] = handle
    }

    /// A call's timer fired.
    func timerFired(_ timer: CallTimer, for id: CallID) {
        guard calls[id]?.timers.removeValue(forKey: timer) != nil else { return }
        deliver(.timer(timer), to: id)
    }

    /// Appends work to one of a call's serial lanes.
    func enqueue(_ id: CallID, _ kind: LaneKind, _ work: @escaping @Sendable () async -> Void) {
        let previous = lanes[id]?[kind]?.task
        nextToken += 1
        let token = nextToken
        pendingWork[kind, default: 0] += 1
        let task = Task {
            await previous?.value
            await work()
            self.laneStepDone(id, kind, token: token)
        }
        lanes[id, default: [:]][kind] = Lane(task: task, token: token)
    }

    private func laneStepDone(_ id: CallID, _ kind: LaneKind, token: UInt64) {
        pendingWork[kind, default: 0] -= 1
        if lanes[id]?[kind]?.token == token {
            lanes[id]?[kind] = nil
            if lanes[id]?.isEmpty == true { lanes[id] = nil }
        }
        let waiters = idleWaiters
        idleWaiters.removeAll()
        for waiter in waiters {
            if isIdle(includingGraph: waiter.includingGraph) {
                waiter.continuation.resume()
            } else {
                idleWaiters.append(waiter)
            }
        }
    }

    private func isIdle(includingGraph: Bool) -> Bool {
        pendingWork[.signalling, default: 0] == 0 && (!includingGraph || pendingWork[.graph, default: 0] == 0)
    }

    /// Waits until no port call or result is outstanding (for tests and shutdown).
    /// With `includingGraph` false, Cloud API requests may still be in flight
    /// (tests that hold a `connect` open use this).
    public func waitUntilIdle(includingGraph: Bool = true) async {
        guard !isIdle(includingGraph: includingGraph) else { return }
        await withCheckedContinuation { idleWaiters.append((includingGraph, $0)) }
    }
}
