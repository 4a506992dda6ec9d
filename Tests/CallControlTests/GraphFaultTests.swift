// Graph faults: the setup budget, the circuit breaker (pure and in call
// control) and terminate retries, all on a manual clock.

@testable import CallControl
import Foundation
import TestSupport
import Logging
import Testing

/// Waits (yielding, bounded) until `condition` holds.
func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<10_000 {
        if await condition() { return true }
        await Task.yield()
    }
    return await condition()
}

@Suite("Graph faults")
struct GraphFaultTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("F1 breaker: opens after N consecutive outages, 4xx answers reset the count")
    func opens() {
        var breaker = GraphCircuitBreaker(failureThreshold: 3, openTime: .seconds(30))
        #expect(breaker.recordFailure(now: start) == nil)
        #expect(breaker.recordFailure(now: start) == nil)
        #expect(breaker.recordSuccess() == nil)
        #expect(breaker.consecutiveFailures == 0)
        _ = breaker.recordFailure(now: start)
        _ = breaker.recordFailure(now: start)
        #expect(breaker.recordFailure(now: start) == .open)
        #expect(breaker.decide(now: start.addingTimeInterval(10)) == .reject(retryAfter: .seconds(20)))
    }

    @Test("F2 breaker: half-opens after the open time, one probe; its failure reopens, its success closes")
    func halfOpen() {
        var breaker = GraphCircuitBreaker(failureThreshold: 1, openTime: .seconds(30))
        _ = breaker.recordFailure(now: start)
        #expect(breaker.decide(now: start.addingTimeInterval(30)) == .probe)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.decide(now: start.addingTimeInterval(31)) == .reject(retryAfter: .seconds(1)))
        #expect(breaker.recordFailure(now: start.addingTimeInterval(32)) == .open)
        #expect(breaker.decide(now: start.addingTimeInterval(40)) == .reject(retryAfter: .seconds(22)))
        #expect(breaker.decide(now: start.addingTimeInterval(62)) == .probe)
        #expect(breaker.recordSuccess() == .closed)
        #expect(breaker.decide(now: start.addingTimeInterval(63)) == .allow)
    }

    @Test("F3 breaker: a probe whose call never reached Meta is replaced after the open time; 0 disables")
    func lostProbeAndDisabled() {
        var breaker = GraphCircuitBreaker(failureThreshold: 1, openTime: .seconds(10))
        _ = breaker.recordFailure(now: start)
        #expect(breaker.decide(now: start.addingTimeInterval(10)) == .probe)
        #expect(breaker.decide(now: start.addingTimeInterval(21)) == .probe)
        var off = GraphCircuitBreaker(failureThreshold: 0, openTime: .seconds(10))
        for _ in 0..<100 { #expect(off.recordFailure(now: start) == nil) }
        #expect(off.decide(now: start) == .allow)
    }

    @Test("F4 only outages count: timeouts, transport, 5xx; not 138006 or 429")
    func outageClassification() {
        #expect(WhatsAppFailure.timeout(outcomeUnknown: true).isOutage)
        #expect(WhatsAppFailure.transport("refused").isOutage)
        #expect(WhatsAppFailure.graph(code: 1, httpStatus: 503, message: "m").isOutage)
        #expect(!WhatsAppFailure.graph(code: 138006, httpStatus: 400, message: "m").isOutage)
        #expect(!WhatsAppFailure.graph(code: 138005, httpStatus: 429, message: "m").isOutage)
    }

    @Test("F5 an open breaker refuses new calls at once with 503 + Retry-After, before any Graph request")
    func openBreakerRefuses() async {
        let clock = ManualClock()
        let circuit = GraphCircuit(failureThreshold: 2, openTime: .seconds(30), now: { clock.now },
                                   logger: Logger(label: "test"))
        let h = Harness(circuit: circuit)
        circuit.record(.transport("down"))
        circuit.record(.timeout(outcomeUnknown: false))
        #expect(circuit.state == .open)
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status == 503)
        #expect(h.sip.lastResponse(leg)?.retryAfter == 30)
        #expect(h.journal.count("wa.") == 0)
        #expect(h.journal.count("media.") == 0)
    }

    @Test("F6 setup budget: a hanging connect gets 503 + Retry-After when the budget is spent")
    func setupBudget() async {
        var settings = CallSettings()
        settings.setupBudget = .seconds(5)
        settings.unavailableRetryAfter = 30
        let h = Harness(settings: settings)
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite(settle: false)
        #expect(await eventually { h.whatsApp.heldCount == 1 })
        await h.clock.advance(by: .seconds(4))
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.finals(leg).isEmpty)
        await h.clock.advance(by: .seconds(1))
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.lastResponse(leg)?.status == 503)
        #expect(h.sip.lastResponse(leg)?.retryAfter == 30)
        h.whatsApp.release(.success(WACID("wacid.late")))
        await h.settle()
        #expect(h.journal.contains("wa.terminate wacid.late"))
    }

    @Test("F7 setup budget does not cut a call Meta answered (the wacid disarms it)")
    func budgetDisarmed() async {
        let h = Harness()
        let leg = await h.invite()
        await h.advance(.seconds(60))
        #expect(h.sip.finals(leg).isEmpty)
    }

    @Test("F8 terminate schedule: 1, 2, 4, 8, 16, 30, 30 s …, never past the horizon or a shutdown cutoff")
    func schedule() {
        var schedule = TerminateRetrySchedule(horizon: .seconds(100))
        var elapsed = Duration.zero
        var delays: [Duration] = []
        while let delay = schedule.nextDelay(elapsed: elapsed) {
            delays.append(delay)
            elapsed += delay
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 9].map { .seconds($0) })
        var cut = TerminateRetrySchedule(horizon: .seconds(600))
        #expect(cut.nextDelay(elapsed: .zero, cutoff: .milliseconds(500)) == .milliseconds(500))
        #expect(cut.nextDelay(elapsed: .zero, cutoff: .zero) == nil)
    }

    @Test("F9 a terminate that fails with an outage is retried until Meta acknowledges it")
    func terminateRetried() async {
        let h = Harness()
        let call = await h.answeredOutbound()
        h.whatsApp.behaviours.withValue { $0["terminate"] = .timeout(outcomeUnknown: false) }
        h.whatsApp.failuresLeft.withValue { $0["terminate"] = 2 }
        await h.control.handleSIP(.bye, on: call.leg)
        // Each failed attempt arms exactly one timer: the wait before the next attempt.
        #expect(await eventually { h.journal.count("wa.terminate") == 1 && h.clock.pendingTimers == 1 })
        await h.clock.advance(by: .milliseconds(999))
        #expect(h.journal.count("wa.terminate") == 1)
        await h.clock.advance(by: .milliseconds(1))
        #expect(await eventually { h.journal.count("wa.terminate") == 2 && h.clock.pendingTimers == 1 })
        await h.clock.advance(by: .seconds(2))
        #expect(await eventually { h.journal.count("wa.terminate") == 3 })
        await h.settle()
        #expect(h.clock.pendingTimers == 0)
        await h.clock.advance(by: .seconds(60))
        #expect(h.journal.count("wa.terminate") == 3)
    }

    @Test("F10 a terminate Meta refuses with a 4xx is not retried")
    func terminateNotRetried() async {
        let h = Harness()
        let call = await h.answeredOutbound()
        h.whatsApp.behaviours.withValue { $0["terminate"] = .graph(code: 138000, httpStatus: 400, message: "gone") }
        await h.sipEvent(.bye, on: call.leg)
        await h.advance(.seconds(60))
        #expect(h.journal.count("wa.terminate") == 1)
    }
}
