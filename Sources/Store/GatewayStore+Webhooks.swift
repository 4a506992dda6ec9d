public import Foundation
import NIOCore
public import WhatsAppCloud

/// Webhook deliveries: deduplicated storage before the 200, the processed mark
/// set once call control has handled an event, and the replay at start of what
/// a crash left unprocessed.
///
/// An event's identity is its ``WhatsAppCloud/WebhookEvent/deduplicationKey``
/// (Meta's call id with the event or status, or the message id): a delivery
/// whose events are all known is not stored again. An event stored but not yet
/// processed (the process died between the two) is handed on again when Meta
/// retries it, unless this process already handed it on.
extension GatewayStore {
    /// Stores the delivery and its new events' keys in one transaction and returns
    /// the admitted events (see ``WebhookAdmission``). Nothing is written for a
    /// delivery that brings no new event and nothing to hand on.
    public func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent] {
        await lock()
        defer { unlock() }
        return try await counted(.webhookRecord) {
            let stored = try await processedStates(Array(WebhookAdmission.lookupKeys(for: delivery.events)))
            // Known = handled, not meant to be handed on, or already handed on by this process.
            let known = Set(stored.filter { $0.value || claimed.contains($0.key) }.keys)
            let admitted = WebhookAdmission.admit(delivery.events, known: known)
            let fresh = delivery.events.filter { stored[$0.deduplicationKey] == nil }
            guard !fresh.isEmpty || !admitted.isEmpty else { return [] }
            try await insert(delivery, admitted: Set(admitted.map(\.deduplicationKey)))
            claimed.formUnion(admitted.map(\.deduplicationKey))
            if claimed.count > Self.claimCapacity { claimed.removeAll() }
            return admitted
        }
    }

    /// Marks events as handled by call control, so a restart does not replay them.
    /// Serialised with `record`: a retry of the same event that is being checked
    /// meanwhile sees it either claimed or processed, never neither.
    public func markProcessed(_ keys: [String]) async throws {
        await lock()
        defer { unlock() }
        try await markProcessedLocked(keys)
    }

    /// `markProcessed` for callers that hold the lock.
    private func markProcessedLocked(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await counted(.webhookProcessed) {
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
            try await run("mark processed", "UPDATE webhook_events SET processed = 1 WHERE key IN (\(marks))",
                          keys.map { .text($0) })
        }
        claimed.subtract(keys)
    }

    /// The events stored but never processed (a crash came between the two), in
    /// arrival order, decoded again from their stored bodies. They count as handed
    /// on from now on, so a retry from Meta that races the replay is not handed on
    /// twice. Call before the webhook receiver starts; on a read failure the
    /// failure is counted and nothing is replayed.
    ///
    /// A `connect` received before `connectsSince` is not replayed but marked
    /// processed: the WhatsApp user stopped ringing long ago, and ringing a phone
    /// for that call would only confuse its user.
    public func claimUnprocessedEvents(connectsSince: Date? = nil) async -> [WebhookEvent] {
        await lock()
        defer { unlock() }
        var events: [WebhookEvent] = []
        var dropped: [String] = []
        for item in await unprocessedDeliveries() {
            let decoded = (try? WebhookDecoder.decode(item.body)) ?? []
            var matching = decoded.filter { item.keys.contains($0.deduplicationKey) && !claimed.contains($0.deduplicationKey) }
            if let connectsSince, item.receivedAt < connectsSince {
                matching.removeAll { $0.kind == "connect" }
            }
            claimed.formUnion(matching.map(\.deduplicationKey))
            events += matching
            dropped += item.keys.subtracting(matching.map(\.deduplicationKey))
        }
        if !dropped.isEmpty {
            logger.warning("stored webhook events not replayed (stale connect or unreadable body)",
                           metadata: ["events": "\(dropped.count)"])
            try? await markProcessedLocked(dropped)
        }
        return events
    }

    /// Deliveries with unprocessed events, oldest first, with those events' keys.
    private func unprocessedDeliveries() async -> [(receivedAt: Date, body: [UInt8], keys: Set<String>)] {
        let rows = (try? await counted(.webhookReplay) {
            try await run("unprocessed events", """
                SELECT e.key AS key, d.id AS delivery, d.body AS body, d.received_at AS at FROM webhook_events e
                JOIN webhook_deliveries d ON d.id = e.delivery_id WHERE e.processed = 0 ORDER BY d.id, e.position
                """)
        }) ?? []
        var deliveries: [(id: Int, receivedAt: Date, body: [UInt8], keys: Set<String>)] = []
        for row in rows {
            guard let key = row.column("key")?.string, let id = row.column("delivery")?.integer else { continue }
            if deliveries.last?.id != id {
                let body = row.column("body")?.bytes ?? []
                let at = Date(timeIntervalSince1970: row.column("at")?.double ?? 0)
                deliveries.append((id, at, body, []))
            }
            deliveries[deliveries.count - 1].keys.insert(key)
        }
        return deliveries.map { ($0.receivedAt, $0.body, $0.keys) }
    }

    /// Keys already stored and whether each is processed (true) or still pending (false).
    private func processedStates(_ keys: [String]) async throws -> [String: Bool] {
        guard !keys.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let rows = try await run("lookup", "SELECT key, processed FROM webhook_events WHERE key IN (\(marks))",
                                 keys.map { .text($0) })
        var states: [String: Bool] = [:]
        for row in rows {
            if let key = row.column("key")?.string { states[key] = row.column("processed")?.integer != 0 }
        }
        return states
    }

    /// Inserts the delivery and its events (known keys are left as they are); an
    /// admitted event starts unprocessed, any other is recorded as processed.
    private func insert(_ delivery: WebhookDelivery, admitted: Set<String>) async throws {
        try await transaction("record delivery") {
            let at = SQLValue.float(delivery.receivedAt.timeIntervalSince1970)
            let inserted = try await self.run(
                "insert delivery",
                "INSERT INTO webhook_deliveries (received_at, signature, body, event_count) VALUES (?, ?, ?, ?) RETURNING id",
                [at, .text(delivery.signature), .blob(ByteBuffer(bytes: delivery.body)), .integer(delivery.events.count)])
            guard let deliveryID = inserted.first?.column("id")?.integer else {
                throw StoreError.queryFailed(operation: "insert delivery", reason: "no id returned")
            }
            for (position, event) in delivery.events.enumerated() {
                let fresh = admitted.contains(event.deduplicationKey)
                try await self.run("insert event", """
                    INSERT INTO webhook_events (key, delivery_id, kind, wacid, received_at, admitted, processed, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """, [.text(event.deduplicationKey), .integer(deliveryID), .text(event.kind),
                          event.callID.map { .text($0) } ?? .null, at, .integer(fresh ? 1 : 0), .integer(fresh ? 0 : 1),
                          .integer(position)])
            }
        }
    }

    /// Handed-on keys remembered at most; past it the set is cleared (only a store
    /// that cannot mark events processed for that long gets there).
    static let claimCapacity = 50_000
}
