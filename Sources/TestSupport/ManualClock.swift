// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

public import CallControl
public import Foundation

/// A clock that moves only when told; due timers fire in order inside `advance`.
public final class ManualClock: CallClock {
    /// A clock at a fixed start time with no timers.
    public init() {}

    private struct Timer {
        var id: Int
        var due: Date
        var fire: @Sendable () async -> Void
    }

    private let state = Locked<(now: Date, timers: [Timer], nextID: Int)>((Date(timeIntervalSince1970: 1_800_000_000), [], 0))

    /// The current manual time.
    public var now: Date { state.current.now }

    /// Registers `fire` to run when `advance` passes `delay` from now.
    public func schedule(after delay: Duration, _ fire: @escaping @Sendable () async -> Void) -> any CallTimerHandle {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let id = state.withValue { state in
            state.nextID += 1
            state.timers.append(Timer(id: state.nextID, due: state.now.addingTimeInterval(seconds), fire: fire))
            return state.nextID
        }
        return Handle(clock: self, id: id)
    }

    fileprivate func cancel(_ id: Int) { state.withValue { $0.timers.removeAll { $0.id == id } } }

    /// Timers scheduled and not yet fired or cancelled.
    public var pendingTimers: Int { state.current.timers.count }

    /// Moves time forward, firing every timer that falls due, in due order.
    public func advance(by delay: Duration) async {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let target = now.addingTimeInterval(seconds)
        while true {
            let next: Timer? = state.withValue { state in
                guard let index = state.timers.indices.filter({ state.timers[$0].due <= target })
                    .min(by: { state.timers[$0].due < state.timers[$1].due }) else { return nil }
                let timer = state.timers.remove(at: index)
                state.now = timer.due
                return timer
            }
            guard let next else { break }
            await next.fire()
        }
        state.withValue { $0.now = target }
    }

    private struct Handle: CallTimerHandle {
        let clock: ManualClock
        let id: Int
        func cancel() { clock.cancel(id) }
    }
}
