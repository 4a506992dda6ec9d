// The production CallClock: wall time from Foundation, timers as tasks
// sleeping on the continuous clock.

public import Foundation

/// Real time for call control.
public struct SystemCallClock: CallClock {
    /// Creates the clock.
    public init() {}

    /// The current wall-clock time.
    public var now: Date { Date() }

    /// Runs `fire` after `delay` in a task; cancelling the handle cancels the task.
    public func schedule(after delay: Duration, _ fire: @escaping @Sendable () async -> Void) -> any CallTimerHandle {
        let task = Task {
            do {
                try await Task.sleep(for: delay, clock: .continuous)
            } catch {
                return
            }
            await fire()
        }
        return TaskTimerHandle(task: task)
    }
}

/// A timer backed by a task.
struct TaskTimerHandle: CallTimerHandle {
    /// The sleeping task.
    let task: Task<Void, Never>

    /// Cancels the task.
    func cancel() { task.cancel() }
}
