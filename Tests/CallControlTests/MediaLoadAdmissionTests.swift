// Admission by measured media load: new calls are refused while the least busy
// media loop is at or above `[media] admission_max_busy`; calls already up go on.

import Config
import Synchronization
import Testing
@testable import CallControl

/// A media load the test sets, as the media loops would measure it.
private final class FakeHeadroom: MediaHeadroom {
    let busy = Mutex(0.0)

    func busyRatio() -> Double { busy.withLock { $0 } }
}

private func config(maxBusy: Double?) -> GatewayConfig {
    var config = GatewayConfig.test()
    config.media.admissionMaxBusy = maxBusy
    return config
}

@Suite("Admission by media load")
struct MediaLoadAdmissionTests {
    @Test("below the threshold admits; at or above it refuses 503 with Retry-After; off admits at any load")
    func decision() throws {
        let admission = Admission(config: config(maxBusy: 0.85))
        #expect(admission.loadRefusal(busy: 0.84) == nil)
        let refusal = try #require(admission.loadRefusal(busy: 0.85))
        #expect(refusal.response.status == 503)
        #expect(refusal.response.retryAfter == Admission.loadRetryAfter)
        #expect(refusal.reason == .limit)
        #expect(refusal.response.warning?.contains("85%") == true)
        #expect(Admission(config: config(maxBusy: nil)).loadRefusal(busy: 1.0) == nil)
    }

    @Test("an INVITE while the media loops are busy gets 503 with Retry-After; the answered call goes on")
    func outboundRefused() async {
        let headroom = FakeHeadroom()
        let counters = NumberCounters()
        let h = Harness(config: config(maxBusy: 0.85), counters: counters, headroom: headroom)
        let (first, _, _) = await h.answeredOutbound()
        headroom.busy.withLock { $0 = 0.95 }
        let refused = await h.invite()
        #expect(h.sip.lastResponse(refused)?.status == 503)
        #expect(h.sip.lastResponse(refused)?.retryAfter == Admission.loadRetryAfter)
        #expect(counters.mediaLoadRefusals.refusals(.outbound) == 1)
        #expect(!h.journal.contains("sip.bye \(first)"))
        #expect(await h.control.activeCallCount == 1)
        headroom.busy.withLock { $0 = 0.5 }
        let admitted = await h.invite()
        #expect(h.sip.lastResponse(admitted)?.status != 503)
        #expect(await h.control.activeCallCount == 2)
    }

    @Test("a WhatsApp user's call while the media loops are busy is rejected through Meta and counted")
    func inboundRejected() async {
        let headroom = FakeHeadroom()
        headroom.busy.withLock { $0 = 0.9 }
        let counters = NumberCounters()
        let h = Harness(config: config(maxBusy: 0.85), counters: counters, headroom: headroom)
        _ = await h.inboundCall()
        #expect(h.journal.contains("wa.reject wacid.in1"))
        #expect(counters.mediaLoadRefusals.refusals(.inbound) == 1)
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .limit)
        #expect(String(decoding: counters.exposition(), as: UTF8.self)
            .contains("wagate_admission_refused_total{reason=\"media_load\",direction=\"inbound\"} 1"))
    }

    @Test("without a measurement, calls are admitted")
    func noMeasurement() async {
        let h = Harness(config: config(maxBusy: 0.01))
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status != 503)
    }
}
