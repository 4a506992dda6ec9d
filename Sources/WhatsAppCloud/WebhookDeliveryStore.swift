public import Foundation

/// One signed webhook POST as received.
public struct WebhookDelivery: Sendable {
    /// When it arrived.
    public var receivedAt: Date
    /// The raw body, exactly as signed.
    public var body: [UInt8]
    /// The `X-Hub-Signature-256` header.
    public var signature: String
    /// The events decoded from it.
    public var events: [WebhookEvent]

    /// Creates a delivery.
    public init(receivedAt: Date, body: [UInt8], signature: String, events: [WebhookEvent]) {
        self.receivedAt = receivedAt
        self.body = body
        self.signature = signature
        self.events = events
    }
}

/// Durable storage for deliveries; the receiver stores each delivery that brings a
/// new event before answering 200 (a store failure is answered 200 too, see
/// ``WebhookProcessor``). Implemented by `Store.GatewayStore` and ``InMemoryWebhookDeliveryStore``.
public protocol WebhookDeliveryStore: Sendable {
    /// Stores the delivery and its events' keys, and returns the events to hand on:
    /// those never seen before whose call has not already terminated
    /// (apply ``WebhookAdmission/admit(_:known:)`` to the keys already recorded).
    func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent]

    /// Marks events as handled, so that a restart does not replay them.
    func markProcessed(_ keys: [String]) async throws
}

extension WebhookDeliveryStore {
    /// Stores that do not replay at start have nothing to mark.
    public func markProcessed(_ keys: [String]) async throws {}
}

/// The deduplication and ordering rule shared by every store (docs/whatsapp.md#webhooks).
public enum WebhookAdmission {
    /// The keys a store must look up before calling ``admit(_:known:)``.
    public static func lookupKeys(for events: [WebhookEvent]) -> Set<String> {
        var keys = Set(events.map(\.deduplicationKey))
        keys.formUnion(events.compactMap(\.supersedingKey))
        return keys
    }

    /// The events to hand on, given the keys already recorded: a repeated key is a
    /// duplicate; a connect whose call already has a terminate is stale.
    public static func admit(_ events: [WebhookEvent], known: Set<String>) -> [WebhookEvent] {
        var seen = known
        var admitted: [WebhookEvent] = []
        for event in events {
            guard seen.insert(event.deduplicationKey).inserted else { continue }
            if let superseding = event.supersedingKey, seen.contains(superseding) { continue }
            admitted.append(event)
        }
        return admitted
    }
}

/// A store that keeps deliveries in memory: for tests and the sandbox.
public actor InMemoryWebhookDeliveryStore: WebhookDeliveryStore {
    /// Every delivery that brought a new event, in order.
    public private(set) var deliveries: [WebhookDelivery] = []
    /// How many deliveries were offered to ``record(_:)``, duplicates included.
    public private(set) var offered = 0
    private var keys: Set<String> = []

    /// Creates an empty store.
    public init() {}

    /// Records the delivery and returns the admitted events.
    public func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent] {
        offered += 1
        if delivery.events.contains(where: { !keys.contains($0.deduplicationKey) }) { deliveries.append(delivery) }
        let admitted = WebhookAdmission.admit(delivery.events, known: keys)
        keys.formUnion(delivery.events.map(\.deduplicationKey))
        return admitted
    }
}
