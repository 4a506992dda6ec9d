// What a hub or a socket's reader puts on a socket's bounded outbound queue.

/// One item for a socket's writer.
public enum AgentOutbound: Sendable, Equatable {
    /// A message to send.
    case message(AgentServerMessage)
    /// Close the socket with this code.
    case close(AgentCloseCode)
}

/// A socket's outbound queue: bounded; an overflow closes the socket (1011), so a
/// page that stops reading never grows the gateway's memory.
public struct AgentOutboundQueue: Sendable {
    /// The writer's end.
    public let stream: AsyncStream<AgentOutbound>
    private let continuation: AsyncStream<AgentOutbound>.Continuation

    /// An empty queue holding at most `capacity` items.
    public init(capacity: Int = AgentProtocol.outboundQueue) {
        (stream, continuation) = AsyncStream.makeStream(of: AgentOutbound.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues `item`; false when the queue was full or finished (the socket is then closed).
    @discardableResult
    public func put(_ item: AgentOutbound) -> Bool {
        switch continuation.yield(item) {
        case .enqueued: return true
        case .dropped:
            continuation.finish()
            return false
        case .terminated: return false
        @unknown default: return false
        }
    }

    /// Ends the queue: the writer stops after what is queued.
    public func finish() { continuation.finish() }
}
