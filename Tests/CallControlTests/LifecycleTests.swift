// Graceful drain and crash recovery.

@testable import CallControl
import Testing
import TestSupport

@Suite("Drain and recovery")
struct LifecycleTests {
    @Test("L1 drain with no calls returns at once; afterwards INVITEs get 503 and user calls are rejected")
    func drainEmpty() async {
        let h = Harness()
        await h.control.drain(drainTime: .seconds(30))
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status == 503)
        _ = await h.inboundCall()
        #expect(h.journal.contains("wa.reject wacid.in1"))
    }

    @Test("L2 drain lets calls finish by themselves before the drain time")
    func drainNatural() async {
        let h = Harness()
        let (leg, _, wacid) = await h.answeredOutbound()
        let drain = Task { await h.control.drain(drainTime: .seconds(30)) }
        while h.clock.pendingTimers == 0 { await Task.yield() }
        await h.sipEvent(.bye, on: leg)
        await drain.value
        #expect(h.journal.matching("wa.terminate") == ["wa.terminate \(wacid)"])
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .normal)
    }

    @Test("L3 drain time over → every call ended on both legs, then drain returns")
    func drainTimeout() async throws {
        let h = Harness()
        let out = await h.answeredOutbound()
        let inbound = try #require(await h.inboundCall())
        let drain = Task { await h.control.drain(drainTime: .seconds(30)) }
        while !(await h.control.isDraining) || h.clock.pendingTimers < 2 { await Task.yield() }
        await h.clock.advance(by: .seconds(30))
        await drain.value
        #expect(h.journal.contains("sip.bye \(out.leg)"))
        #expect(h.journal.contains("wa.terminate \(out.wacid)"))
        #expect(h.journal.contains("sip.cancel \(inbound)/leg1") || h.journal.contains("wa.reject wacid.in1"))
        #expect(h.records.endings(CallID(out.call)).first?.reason == .shutdown)
        #expect(await h.control.summaries().isEmpty)
    }

    @Test("L4 crash recovery terminates orphaned WhatsApp calls, closes SIP dialogs, records them ended")
    func recovery() async {
        let h = Harness()
        h.whatsApp.behaviours.withValue { _ in }
        let orphans = [
            OrphanedCall(callID: CallID("old-1"), direction: .outbound, wacid: WACID("wacid.o1"), sipCallID: "s1"),
            OrphanedCall(callID: CallID("old-2"), direction: .inbound, wacid: WACID("wacid.o2"), sipCallID: nil),
            OrphanedCall(callID: CallID("old-3"), direction: .outbound, wacid: nil, sipCallID: "s3"),
        ]
        let report = await h.control.recoverOrphans(orphans)
        #expect(report.terminated == [WACID("wacid.o1"), WACID("wacid.o2")])
        #expect(report.sipClosed == ["s1", "s3"])
        #expect(h.records.endings(CallID("old-2")).first?.reason == .recovered)
        await h.webhook(.terminate(wacid: WACID("wacid.o1"), completed: true, duration: 1, errors: [], opaque: nil))
        await h.webhook(.status(wacid: WACID("wacid.o2"), .accepted, opaque: nil))
        await h.advance(.seconds(60))
        #expect(h.journal.count("wa.terminate") == 2)
    }

    @Test("L5 a failed orphan terminate is reported, not thrown")
    func recoveryFailure() async {
        let h = Harness()
        h.whatsApp.behaviours.withValue { $0["terminate"] = .transport("down") }
        let report = await h.control.recoverOrphans([
            OrphanedCall(callID: CallID("old"), direction: .outbound, wacid: WACID("wacid.f"), sipCallID: nil),
        ])
        #expect(report.terminated.isEmpty)
        #expect(report.failed[WACID("wacid.f")] != nil)
    }
}
