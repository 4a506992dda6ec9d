import Foundation
import NIOConcurrencyHelpers

/// Deduplication in memory for deliveries the store could not take (disk full,
/// I/O error): the receiver still answers 200 and hands the events on, and this
/// remembers their keys, so Meta's duplicates of them are dropped both while the
/// store is failing and after it recovers (the store never saw those keys).
///
/// Bounded: the oldest keys are forgotten first past ``capacity``.
public final class WebhookMemoryAdmission: Sendable {
    private struct State {
        var keys: Set<String> = []
        var order: [String] = []
        var next = 0
    }

    /// Keys remembered at most.
    public let capacity: Int
    private let state: NIOLockedValueBox<State>

    /// Creates an empty memory holding at most `capacity` keys.
    public init(capacity: Int = 20_000) {
        self.capacity = max(capacity, 1)
        state = NIOLockedValueBox(State())
    }

    /// The events to hand on when the store failed: those whose keys (and
    /// superseding terminates) are not remembered. Their keys are remembered.
    public func admit(_ events: [WebhookEvent]) -> [WebhookEvent] {
        state.withLockedValue { state in
            let admitted = WebhookAdmission.admit(events, known: state.keys)
            for event in events { Self.remember(event.deduplicationKey, in: &state, capacity: capacity) }
            return admitted
        }
    }

    /// Drops from what the store admitted the events already handed on from memory.
    public func filter(_ admitted: [WebhookEvent]) -> [WebhookEvent] {
        state.withLockedValue { state in
            state.keys.isEmpty ? admitted : admitted.filter { !state.keys.contains($0.deduplicationKey) }
        }
    }

    /// How many keys are remembered.
    public var count: Int { state.withLockedValue { $0.keys.count } }

    private static func remember(_ key: String, in state: inout State, capacity: Int) {
        guard state.keys.insert(key).inserted else { return }
        if state.order.count < capacity {
            state.order.append(key)
            return
        }
        state.keys.remove(state.order[state.next])
        state.order[state.next] = key
        state.next = (state.next + 1) % capacity
    }
}
