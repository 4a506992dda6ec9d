// Transfers that do not work out: no answer → the fallback, a second failure
// ends the call, and WhatsApp, shutdown or an operator ending the call in any
// phase of a transfer.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl transfer fallback")
struct TransferFallbackTests {
    @Test("bob does not answer in ring_timeout → CANCEL, alice rung again as Zoe, answers; CDR says returned")
    func returnsToTransferor() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        await h.advance(.seconds(29))
        #expect(h.journal.count("sip.cancel") == 0)
        await h.advance(.seconds(1))
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        let back = try #require(h.placed("\(call)/xfer2"))
        #expect(back.targets == [.contact(user: "alice", uri: "sip:alice@10.0.0.1:5062")])
        #expect(back.callerNumber == "+14085550001")
        #expect(back.referredBy == nil)
        #expect(h.journal.count("media.reoffer \(call)") == 2)
        await h.sipEvent(.answered(sdp: "alice-again", sipCallID: nil), on: back.leg)
        #expect(await h.phase(call) == "transferred.connected")
        let row = try #require(h.transferRows(call).last)
        #expect(row.outcome == .returned)
        #expect(row.answeredBy == "user:alice")
    }

    @Test("busy target → fallback; the fallback fails too → terminate to Meta, CDR no_answer")
    func fallbackFailsToo() async throws {
        let h = Harness.transfer(.target(.user("carol")))
        h.resolver.contacts.withValue { $0["carol"] = ["sip:carol@10.0.0.4"] }
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        await h.sipEvent(.failed(status: 486, reason: "Busy"), on: SIPLegID("\(call)/xfer1"))
        let fallback = try #require(h.placed("\(call)/xfer2"))
        #expect(fallback.targets == [.contact(user: "carol", uri: "sip:carol@10.0.0.4")])
        await h.sipEvent(.failed(status: 603, reason: nil), on: fallback.leg)
        #expect(h.journal.contains("wa.terminate wacid.in1"))
        let ending = try #require(h.records.endings(CallID(call)).first)
        #expect(ending.reason == .noAnswer)
        #expect(h.transferRows(call).last?.outcome == .failed)
        #expect(await h.activeCalls == 0)
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("fallback none: no answer ends the call")
    func fallbackNone() async throws {
        let h = Harness.transfer(.none)
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        await h.advance(.seconds(30))
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        #expect(h.journal.contains("wa.terminate wacid.in1"))
        #expect(h.placed("\(call)/xfer2") == nil)
        #expect(h.records.endings(CallID(call)).first?.detail?.hasPrefix("transfer failed") == true)
    }

    @Test("WhatsApp terminates while bob rings: CANCEL, no terminate back, CDR closed, transfer row failed")
    func terminateDuringRinging() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        await h.webhook(.terminate(wacid: WACID("wacid.in1"), completed: true, duration: 3, errors: [], opaque: nil))
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        #expect(h.journal.count("wa.terminate") == 0)
        #expect(h.records.endings(CallID(call)).first?.endedBy == .whatsApp)
        #expect(h.transferRows(call).last?.status == 487)
        #expect(await h.activeCalls == 0)
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("shutdown while bob rings ends both legs; operator hang-up after the transfer BYEs bob")
    func shutdownAndHangUp() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        let drain = Task { await h.control.drain(drainTime: .seconds(5)) }
        while !(await h.control.isDraining) { await Task.yield() }
        await h.advance(.seconds(5))
        await drain.value
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        #expect(h.journal.contains("wa.terminate wacid.in1"))
        #expect(h.records.endings(CallID(call)).first?.reason == .shutdown)

        let other = Harness.transfer()
        let (second, aliceLeg) = try #require(await other.connectedInbound("wacid.in2"))
        await other.refer("bob", on: aliceLeg)
        await other.sipEvent(.answered(sdp: "b", sipCallID: nil), on: SIPLegID("\(second)/xfer1"))
        #expect(await other.control.hangUp(CallID(second)))
        await other.settle()
        #expect(other.journal.contains("sip.bye \(second)/xfer1"))
        #expect(other.journal.contains("wa.terminate wacid.in2"))
    }
}
