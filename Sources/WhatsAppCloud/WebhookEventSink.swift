import Foundation
import NIOConcurrencyHelpers

/// Whoever takes the receiver's typed events: call control in the gateway,
/// a recorder in tests.
public protocol WebhookEventSink: Sendable {
    /// Takes the admitted events of one delivery, in order. Must return quickly:
    /// the webhook's 200 waits for it.
    func deliver(_ events: [WebhookEvent]) async
}

/// A sink that fans events out to any number of `AsyncStream` subscribers.
///
/// Each subscriber sees every event delivered after it subscribed; streams are
/// unbounded, so a slow subscriber never delays the webhook's answer.
public final class WebhookEventBroadcaster: WebhookEventSink {
    private let continuations = NIOLockedValueBox<[UInt64: AsyncStream<WebhookEvent>.Continuation]>([:])
    private let nextID = NIOLockedValueBox<UInt64>(0)

    /// Creates a broadcaster with no subscribers.
    public init() {}

    /// A new stream of every event delivered from now on; it ends when ``finish()`` is called.
    public func subscribe() -> AsyncStream<WebhookEvent> {
        let (stream, continuation) = AsyncStream<WebhookEvent>.makeStream()
        let id = nextID.withLockedValue { value -> UInt64 in
            value += 1
            return value
        }
        continuations.withLockedValue { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.continuations.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Yields the events to every subscriber.
    public func deliver(_ events: [WebhookEvent]) async {
        let targets = continuations.withLockedValue { Array($0.values) }
        for continuation in targets {
            for event in events { continuation.yield(event) }
        }
    }

    /// Ends every subscriber's stream.
    public func finish() {
        let targets = continuations.withLockedValue { state -> [AsyncStream<WebhookEvent>.Continuation] in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for continuation in targets { continuation.finish() }
    }
}
