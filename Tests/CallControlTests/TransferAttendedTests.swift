// Attended transfer: the INVITE carries Replaces, the transferor keeps the
// call until it is answered, and a failure leaves the call where it was.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl attended transfer")
struct TransferAttendedTests {
    let replaces = "consult-1@pbx;to-tag=a;from-tag=b"

    @Test("remote Replaces: INVITE to bob with the value; answered → NOTIFY 200, BYE alice, bridged")
    func remoteAnswered() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg, replaces: .remote(replaces))
        let placed = try #require(h.placed("\(call)/xfer1"))
        #expect(placed.replaces == .value(replaces))
        #expect(h.journal.count("media.detach") == 0)
        #expect(h.journal.count("sip.bye") == 0)
        #expect(await h.phase(call) == "inbound.connected")
        await h.sipEvent(.answered(sdp: "bob", sipCallID: nil), on: placed.leg)
        let j = h.journal
        let notify = try #require(j.index(of: "sip.notify \(leg) 200 final"))
        let bye = try #require(j.index(of: "sip.bye \(leg)"))
        #expect(notify < bye)
        #expect(j.contains("media.setSIPRemote \(call) bob"))
        #expect(await h.phase(call) == "transferred.connected")
        #expect(h.transferRows(call).last?.kind == .attended)
        #expect(h.transferRows(call).last?.outcome == .answered)
    }

    @Test("remote Replaces refused (486): NOTIFY 486 final, alice keeps the call, no fallback")
    func remoteFails() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg, replaces: .remote(replaces))
        await h.sipEvent(.failed(status: 486, reason: nil), on: SIPLegID("\(call)/xfer1"))
        #expect(h.journal.contains("sip.notify \(leg) 486 final"))
        #expect(h.placed("\(call)/xfer2") == nil)
        #expect(await h.phase(call) == "inbound.connected")
        #expect(await h.control.ownerCounts() == ["user:alice": 1])
        #expect(h.clock.pendingTimers == 0)
        await h.sipEvent(.bye, on: leg)
        #expect(h.journal.contains("wa.terminate wacid.in1"))
    }

    @Test("no answer to the Replaces INVITE: CANCEL and NOTIFY 408")
    func remoteTimesOut() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg, replaces: .remote(replaces))
        await h.advance(.seconds(30))
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        #expect(h.journal.contains("sip.notify \(leg) 408 final"))
        #expect(await h.phase(call) == "inbound.connected")
    }

    @Test("alice hangs up while the Replaces INVITE rings: it is cancelled and the call ends")
    func transferorLeaves() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg, replaces: .remote(replaces))
        await h.sipEvent(.bye, on: leg)
        #expect(h.journal.contains("sip.cancel \(call)/xfer1"))
        #expect(h.journal.contains("wa.terminate wacid.in1"))
        #expect(h.transferRows(call).last?.status == 487)
    }

    @Test("local Replaces: a leg no call owns gets 481; a WhatsApp consultation gets 403")
    func localReplaces() async throws {
        let h = Harness.transfer()
        let (_, leg) = try #require(await h.connectedInbound())
        await h.refer(nil, on: leg, replaces: .leg(SIPLegID("nowhere")))
        #expect(h.journal.contains("sip.notify \(leg) 481 final"))
        let out = await h.answeredOutbound()
        await h.refer(nil, on: leg, replaces: .leg(out.leg))
        #expect(h.journal.contains("sip.notify \(leg) 403 final"))
    }
}
