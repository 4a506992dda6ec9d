import Crypto
public import Foundation
public import Logging

/// Plain settings for the webhook receiver; the composition layer fills them from config.
public struct WebhookSettings: Sendable, CustomStringConvertible {
    /// The route, e.g. `/webhooks/whatsapp`.
    public var path: String
    /// The token configured in the app dashboard for the GET verification.
    public var verifyToken: String
    /// The app secret that signs every POST. Never logged.
    public var appSecret: String
    /// The largest body accepted (Meta's deliveries are small).
    public var maxBodyBytes: Int

    /// Creates settings.
    public init(path: String = "/webhooks/whatsapp", verifyToken: String, appSecret: String,
                maxBodyBytes: Int = 1 << 20) {
        self.path = path
        self.verifyToken = verifyToken
        self.appSecret = appSecret
        self.maxBodyBytes = maxBodyBytes
    }

    /// A description without the secrets.
    public var description: String { "WebhookSettings(path: \(path), verifyToken: <redacted>, appSecret: <redacted>)" }
}

/// An HTTP answer, independent of the server library.
public struct WebhookResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// A plain-text body (the challenge for a verification).
    public var body: String

    /// Creates a response.
    public init(status: Int, body: String = "") {
        self.status = status
        self.body = body
    }
}

/// The webhook receiver's logic without HTTP: verification, signature check on the
/// raw body before any parsing, decoding, storing, deduplication, hand-off.
public struct WebhookProcessor: Sendable {
    /// The settings in use.
    public let settings: WebhookSettings
    /// Where deliveries are stored before the 200.
    let store: any WebhookDeliveryStore
    /// Who receives the admitted events.
    let sink: any WebhookEventSink
    /// Where outcomes are logged (never the body or secrets).
    let logger: Logger
    /// The clock for `receivedAt`.
    let now: @Sendable () -> Date
    /// Deduplication for deliveries the store could not take.
    let memory: WebhookMemoryAdmission
    /// The rate-limited log of user identifiers dropped for their shape.
    let identityWarnings = WebhookIdentityWarnings()
    /// Told each delivery's outcomes with a count (for metrics); nil counts nothing.
    public var observe: (@Sendable (WebhookOutcome, Int) -> Void)?
    /// In a cluster: hands each admitted call event to the node that owns the call,
    /// and accepts deliveries other nodes hand on. nil on a single node.
    public var router: (any WebhookRouting)?

    /// Creates a processor that stores into `store` and hands admitted events to `sink`.
    public init(settings: WebhookSettings, store: any WebhookDeliveryStore, sink: any WebhookEventSink,
                logger: Logger = Logger(label: "wagate.whatsapp.webhook"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.store = store
        self.sink = sink
        self.logger = logger
        self.now = now
        memory = WebhookMemoryAdmission()
    }

    /// `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: 200 with the raw
    /// challenge when the token matches, else 403.
    public func verify(mode: String?, token: String?, challenge: String?) -> WebhookResponse {
        guard mode == "subscribe", let token, let challenge,
              Self.constantTimeEquals(Array(token.utf8), Array(settings.verifyToken.utf8)) else {
            logger.warning("webhook verification refused")
            return WebhookResponse(status: 403, body: "forbidden")
        }
        logger.info("webhook verification accepted")
        return WebhookResponse(status: 200, body: challenge)
    }

    /// `POST`: 401 without a signature, 403 with a wrong one (nothing stored), 400
    /// for a signed body that is not JSON, else 200. When storing fails (disk
    /// full) the events are still handed on, deduplicated in memory, and the
    /// answer is still 200: a 500 would stop all WhatsApp signalling, while Meta's
    /// retries would fail the same way. The store counts and logs the failure.
    ///
    /// `forward` is the `X-Wagate-Forward` header of a delivery another node of the
    /// cluster handed on: only the events it names are handed to call control here,
    /// and a header that does not verify is refused with 403.
    public func receive(body: [UInt8], signature: String?, forward: String? = nil) async -> WebhookResponse {
        observe?(.received, 1)
        do {
            try WebhookSignature.verify(body: body, header: signature, appSecret: settings.appSecret)
        } catch WhatsAppCloudError.signatureMissing {
            logger.warning("webhook without signature refused", metadata: ["http.body_bytes": "\(body.count)"])
            observe?(.missingSignature, 1)
            return WebhookResponse(status: 401, body: "missing signature")
        } catch {
            logger.warning("webhook with bad signature refused", metadata: ["http.body_bytes": "\(body.count)"])
            observe?(.badSignature, 1)
            return WebhookResponse(status: 403, body: "bad signature")
        }
        observe?(.verified, 1)
        var forwardedKeys: Set<String>?
        if let forward {
            guard let keys = router?.accept(forward: forward, signature: signature ?? "") else {
                logger.warning("forwarded webhook refused (no cluster, or a bad forward header)",
                               metadata: ["http.body_bytes": "\(body.count)"])
                observe?(.badSignature, 1)
                return WebhookResponse(status: 403, body: "bad forward")
            }
            forwardedKeys = keys
        }
        let events: [WebhookEvent]
        do {
            events = try WebhookDecoder.decode(body)
        } catch {
            logger.warning("signed webhook body is not JSON", metadata: ["http.body_bytes": "\(body.count)"])
            observe?(.malformed, 1)
            return WebhookResponse(status: 400, body: "malformed body")
        }
        identityWarnings.report(events, logger: logger, now: now())
        // A user message only tells call control that a customer service window
        // opened: it is never stored (the raw body holds the user's text), only
        // deduplicated in memory; one lost to a restart means a template is sent.
        let durable = events.filter { !$0.isUserMessage }
        let delivery = WebhookDelivery(receivedAt: now(), body: body, signature: signature ?? "", events: durable)
        var admitted = await admit(delivery)
        admitted += memory.admit(events.filter(\.isUserMessage))
        if let forwardedKeys {
            // Stored events without a call reach every node (a permission reply, for
            // the state each node keeps per user). The node that received them stored
            // and may have handled them already, so here they are deduplicated in
            // this node's memory instead of the shared store.
            let perUser = durable.filter { $0.callID == nil && forwardedKeys.contains($0.deduplicationKey) }
            admitted = admitted.filter { ($0.callID != nil || $0.isUserMessage) && forwardedKeys.contains($0.deduplicationKey) }
                + memory.admit(perUser)
        } else if let router {
            admitted = await router.route(admitted, of: delivery)
        }
        for event in events {
            let fresh = admitted.contains(event)
            logger.debug("webhook event", metadata: [
                "wacid": "\(event.callID ?? "-")", "webhook.event": "\(event.kind)",
                "webhook.admitted": "\(fresh)",
            ])
        }
        if admitted.count < events.count { observe?(.duplicate, events.count - admitted.count) }
        if !admitted.isEmpty { await sink.deliver(admitted) }
        return WebhookResponse(status: 200, body: "ok")
    }

    /// The events to hand on: as the store admits them, or from memory when it fails.
    private func admit(_ delivery: WebhookDelivery) async -> [WebhookEvent] {
        do {
            let admitted = try await store.record(delivery)
            let fresh = memory.filter(admitted)
            if fresh.count < admitted.count {
                // Handed on from memory while the store failed: handled already, never to be replayed.
                let handled = Set(fresh.map(\.deduplicationKey))
                try? await store.markProcessed(admitted.map(\.deduplicationKey).filter { !handled.contains($0) })
            }
            return fresh
        } catch {
            logger.debug("webhook delivery handled from memory", metadata: ["error": "\(error)"])
            return memory.admit(delivery.events)
        }
    }

    /// Compares two byte strings in time independent of where they differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        let length = max(lhs.count, rhs.count)
        for index in 0..<length {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
