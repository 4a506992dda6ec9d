import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import WhatsAppCloud

/// Sends the simulator's webhooks, signed with the app secret, to the gateway,
/// with the configured delay, duplication and reordering (docs/whatsapp.md#webhooks: delivery is
/// neither ordered nor exactly-once). Control requests can also hold deliveries
/// and release them in reverse.
actor WebhookDispatcher {
    /// One delivery attempt's outcome, kept for the control API.
    struct Record: Sendable {
        let body: String
        let status: Int?
    }

    private let url: String?
    private let appSecret: String
    private var policy: WebhookDeliveryPolicy
    private let httpClient: HTTPClient
    private let logger: Logger
    private let (queue, queueInput) = AsyncStream<[UInt8]>.makeStream()
    private let (intake, intakeInput) = AsyncStream<Intake>.makeStream()

    /// What goes through the intake, in callers' order.
    private enum Intake: Sendable {
        case payload(JSONValue)
        case hold
        case release(reversed: Bool, done: CheckedContinuation<Int, Never>)
    }
    private var held: [[UInt8]]?
    private var waitingForPartner: (id: Int, body: [UInt8])?
    private var nextID = 0
    private(set) var records: [Record] = []
    private let pending = NIOLockedValueBox(0)
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a dispatcher; nothing is sent until ``run()``.
    init(url: String?, appSecret: String, policy: WebhookDeliveryPolicy, httpClient: HTTPClient, logger: Logger) {
        self.url = url
        self.appSecret = appSecret
        self.policy = policy
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Queues a webhook body; callers' order is kept (hold and reorder apply later).
    nonisolated func send(_ payload: JSONValue) {
        pending.withLockedValue { $0 += 1 }
        intakeInput.yield(.payload(payload))
    }

    /// Applies hold and reorder to one body from the intake.
    private func admit(_ payload: JSONValue) {
        guard url != nil, let data = try? GraphJSON.encoder.encode(payload) else {
            completeOne()
            return
        }
        let body = Array(data)
        if held != nil {
            held?.append(body)
        } else if policy.reorder {
            reorder(body)
        } else {
            queueInput.yield(body)
        }
    }

    /// Replaces the delivery policy.
    func setPolicy(_ policy: WebhookDeliveryPolicy) { self.policy = policy }

    /// Starts holding deliveries sent after this call until ``release(reversed:)``.
    nonisolated func hold() { intakeInput.yield(.hold) }

    /// Sends the held deliveries (all sent before this call), in order or reversed; returns how many.
    nonisolated func release(reversed: Bool) async -> Int {
        await withCheckedContinuation { done in
            if case .terminated = intakeInput.yield(.release(reversed: reversed, done: done)) {
                done.resume(returning: 0)
            }
        }
    }

    private func take(_ item: Intake) {
        switch item {
        case .payload(let payload): admit(payload)
        case .hold: if held == nil { held = [] }
        case .release(let reversed, let done): done.resume(returning: releaseHeld(reversed: reversed))
        }
    }

    private func releaseHeld(reversed: Bool) -> Int {
        let bodies = held ?? []
        held = nil
        for body in reversed ? bodies.reversed() : bodies { queueInput.yield(body) }
        return bodies.count
    }

    /// Waits until every queued delivery has been attempted.
    func waitUntilIdle() async {
        if pending.withLockedValue({ $0 }) == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    /// Takes bodies from the intake and delivers them one after another until ``finish()``.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in self.intake { await self.take(item) }
                self.queueInput.finish()
            }
            group.addTask { await self.deliverQueued() }
        }
    }

    private func deliverQueued() async {
        for await body in queue {
            if policy.delay > .zero { try? await Task.sleep(for: policy.delay) }
            for _ in 0...max(0, policy.duplicates) { await deliver(body) }
            completeOne()
        }
    }

    /// One queued body is done (delivered, given up, or dropped).
    private func completeOne() {
        let left = pending.withLockedValue { value -> Int in
            value -= 1
            return value
        }
        guard left == 0 else { return }
        for waiter in idleWaiters { waiter.resume() }
        idleWaiters.removeAll()
    }

    /// Ends ``run()``.
    nonisolated func finish() { intakeInput.finish() }

    private func reorder(_ body: [UInt8]) {
        if let partner = waitingForPartner {
            waitingForPartner = nil
            queueInput.yield(body)
            queueInput.yield(partner.body)
            return
        }
        nextID += 1
        let id = nextID
        waitingForPartner = (id, body)
        let window = policy.reorderWindow
        Task { [weak self] in
            try? await Task.sleep(for: window)
            await self?.flushLone(id)
        }
    }

    private func flushLone(_ id: Int) {
        guard let partner = waitingForPartner, partner.id == id else { return }
        waitingForPartner = nil
        queueInput.yield(partner.body)
    }

    private func deliver(_ body: [UInt8]) async {
        guard let url else { return }
        let signature = WebhookSignature.sign(body: body, appSecret: appSecret)
        for attempt in 1...max(1, policy.maxAttempts) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: WebhookSignature.headerName, value: signature)
            request.body = .bytes(ByteBuffer(bytes: body))
            var status: Int?
            do {
                let response = try await httpClient.execute(request, timeout: .seconds(20))
                _ = try? await response.body.collect(upTo: 1 << 16)
                status = Int(response.status.code)
            } catch {
                logger.warning("webhook delivery failed", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
            }
            records.append(Record(body: String(decoding: body, as: UTF8.self), status: status))
            if let status, (200..<300).contains(status) { return }
            if Task.isCancelled { return }
            if attempt < policy.maxAttempts { try? await Task.sleep(for: .milliseconds(100 * attempt)) }
        }
    }
}
