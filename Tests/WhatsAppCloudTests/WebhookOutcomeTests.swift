// The processor tells its observer what became of each delivery (metrics).

import Foundation
import Synchronization
import Testing
@testable import WhatsAppCloud

/// Outcomes the processor reported, summed.
final class OutcomeTally: Sendable {
    private let counts = Mutex<[WebhookOutcome: Int]>([:])

    func add(_ outcome: WebhookOutcome, _ count: Int) { counts.withLock { $0[outcome, default: 0] += count } }

    subscript(_ outcome: WebhookOutcome) -> Int { counts.withLock { $0[outcome] ?? 0 } }
}

@Suite("Webhook outcomes for metrics")
struct WebhookOutcomeTests {
    static let secret = "outcome-secret"

    @Test("received, verified, each refusal by reason, and a retried delivery's events as duplicates")
    func outcomes() async throws {
        let tally = OutcomeTally()
        var processor = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.secret),
                                         store: InMemoryWebhookDeliveryStore(), sink: RecordingSink(),
                                         logger: quietLogger)
        processor.observe = { tally.add($0, $1) }
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        let signature = WebhookSignature.sign(body: body, appSecret: Self.secret)
        _ = await processor.receive(body: body, signature: nil)
        _ = await processor.receive(body: body, signature: "sha256=00")
        let garbage = Array("{\"entry\": [".utf8)
        let garbageSignature = WebhookSignature.sign(body: garbage, appSecret: Self.secret)
        _ = await processor.receive(body: garbage, signature: garbageSignature)
        _ = await processor.receive(body: body, signature: signature)
        _ = await processor.receive(body: body, signature: signature)
        #expect(tally[.received] == 5)
        #expect(tally[.missingSignature] == 1 && tally[.badSignature] == 1 && tally[.malformed] == 1)
        #expect(tally[.verified] == 3)
        #expect(tally[.duplicate] == 1)
    }
}
