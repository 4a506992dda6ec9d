// Duplicated, reordered and unknown webhooks; connect races; stray SIP legs.

@testable import CallControl
import Testing
import TestSupport

@Suite("Robustness")
struct RobustnessTests {
    @Test("W1 duplicated user-initiated connect rings once")
    func duplicateConnect() async {
        let h = Harness()
        _ = await h.inboundCall()
        _ = await h.inboundCall()
        #expect(h.journal.count("sip.invite") == 1)
        #expect(await h.activeCalls == 1)
    }

    @Test("W2 terminate before its connect → the late connect is ignored")
    func terminateBeforeConnect() async {
        let h = Harness()
        await h.webhook(.terminate(wacid: WACID("wacid.in1"), completed: false, duration: nil, errors: [], opaque: nil))
        _ = await h.inboundCall()
        #expect(h.journal.all.isEmpty)
        #expect(await h.activeCalls == 0)
    }

    @Test("W3 terminate during contact lookup → nothing rings")
    func terminateDuringRouting() async {
        let h = Harness()
        async let call: String? = h.inboundCall()
        await h.control.handleWebhook(.terminate(wacid: WACID("wacid.in1"), completed: false, duration: nil, errors: [],
                                                 opaque: nil))
        _ = await call
        await h.settle()
        #expect(h.journal.count("sip.invite") <= 1)
        #expect(await h.activeCalls == 0)
    }

    @Test("W4 duplicated and reordered outbound webhooks → one 180, one 200")
    func duplicates() async {
        let h = Harness()
        let leg = await h.invite()
        let context = await h.control.summaries()[0].context
        let call = context.callID.rawValue
        let wacid = context.wacid!
        await h.webhook(.status(wacid: wacid, .accepted, opaque: call))
        await h.webhook(.status(wacid: wacid, .ringing, opaque: call))
        await h.webhook(.status(wacid: wacid, .accepted, opaque: call))
        await h.webhook(.answer(wacid: wacid, sdp: "a", opaque: call))
        await h.webhook(.status(wacid: wacid, .ringing, opaque: call))
        await h.mediaEvent(.connected, call: call)
        await h.webhook(.answer(wacid: wacid, sdp: "a", opaque: call))
        await h.mediaEvent(.connected, call: call)
        let statuses = h.sip.responses.current.filter { $0.0 == leg }.map(\.1.status)
        #expect(statuses == [180, 200])
        #expect(h.journal.count("media.startWhatsApp") == 1)
    }

    @Test("W5 a webhook overtaking the connect response (routed by biz_opaque_callback_data)")
    func overtakingWithOpaque() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite(settle: false)
        await h.control.waitUntilIdle(includingGraph: false)
        while h.whatsApp.heldCount == 0 { await Task.yield(); await h.control.waitUntilIdle(includingGraph: false) }
        await h.control.handleWebhook(.status(wacid: WACID("wacid.X"), .ringing, opaque: "c-000001"))
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.lastResponse(leg)?.status == 180)
        h.whatsApp.release(.success(WACID("wacid.X")))
        await h.settle()
        #expect(h.sip.responses.current.count == 1)
        await h.sipEvent(.cancelled, on: leg)
        #expect(h.journal.contains("wa.terminate wacid.X"))
    }

    @Test("W6 a webhook overtaking the connect response without opaque data is held, then replayed")
    func overtakingWithoutOpaque() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite(settle: false)
        while h.whatsApp.heldCount == 0 { await Task.yield(); await h.control.waitUntilIdle(includingGraph: false) }
        await h.control.handleWebhook(.status(wacid: WACID("wacid.Y"), .ringing, opaque: nil))
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.lastResponse(leg) == nil)
        h.whatsApp.release(.success(WACID("wacid.Y")))
        await h.settle()
        #expect(h.sip.lastResponse(leg)?.status == 180)
        #expect(h.journal.count("wa.terminate") == 0)
    }

    @Test("W7 connect times out (outcome unknown): a late webhook echoing the call id is terminated")
    func lateWebhookAfterTimeout() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .fail(.timeout(outcomeUnknown: true)) }
        let leg = await h.invite()
        #expect(h.sip.finals(leg).map(\.status) == [503])
        await h.webhook(.status(wacid: WACID("wacid.Z"), .ringing, opaque: "c-000001"))
        await h.webhook(.answer(wacid: WACID("wacid.Z"), sdp: "x", opaque: "c-000001"))
        #expect(h.journal.matching("wa.terminate") == ["wa.terminate wacid.Z"])
    }

    @Test("W8 connect times out while an unclaimed event waits → that call is terminated")
    func unclaimedAfterTimeout() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite(settle: false)
        while h.whatsApp.heldCount == 0 { await Task.yield(); await h.control.waitUntilIdle(includingGraph: false) }
        await h.control.handleWebhook(.status(wacid: WACID("wacid.Q"), .ringing, opaque: nil))
        h.whatsApp.release(.failure(.timeout(outcomeUnknown: true)))
        await h.settle()
        #expect(h.sip.finals(leg).map(\.status) == [503])
        #expect(h.journal.contains("wa.terminate wacid.Q"))
    }

    @Test("W9 an unknown business-initiated call nobody claims is terminated after the grace time")
    func unknownCall() async {
        let h = Harness()
        await h.webhook(.status(wacid: WACID("wacid.U"), .accepted, opaque: nil))
        #expect(h.journal.count("wa.terminate") == 0)
        await h.advance(.seconds(30))
        #expect(h.journal.contains("wa.terminate wacid.U"))
        await h.webhook(.status(wacid: WACID("wacid.U"), .accepted, opaque: nil))
        #expect(h.journal.count("wa.terminate") == 1)
    }

    @Test("W10 a terminate for an unknown call changes nothing")
    func unknownTerminate() async {
        let h = Harness()
        let (leg, _, _) = await h.answeredOutbound()
        h.journal.clear()
        await h.webhook(.terminate(wacid: WACID("wacid.nope"), completed: true, duration: 1, errors: [], opaque: nil))
        #expect(h.journal.all.isEmpty)
        #expect(await h.activeCalls == 1)
        _ = leg
    }

    @Test("W11 CANCEL while connect is in flight → 487 now, terminate once the wacid arrives")
    func cancelDuringConnect() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite(settle: false)
        while h.whatsApp.heldCount == 0 { await Task.yield(); await h.control.waitUntilIdle(includingGraph: false) }
        await h.control.handleSIP(.cancelled, on: leg)
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.finals(leg).map(\.status) == [487])
        h.whatsApp.release(.success(WACID("wacid.C")))
        await h.settle()
        #expect(h.journal.contains("wa.terminate wacid.C"))
        #expect(await h.control.summaries().isEmpty)
    }

    @Test("W12 a 200 on an unknown outgoing leg is ACKed and hung up")
    func strayLeg() async {
        let h = Harness()
        await h.sipEvent(.answered(sdp: nil, sipCallID: nil), on: SIPLegID("ghost/leg1"))
        #expect(h.journal.all == ["sip.ack ghost/leg1", "sip.bye ghost/leg1"])
    }

    @Test("W13 events of one call never touch another")
    func isolation() async {
        let h = Harness()
        let first = await h.answeredOutbound()
        let second = await h.answeredOutbound("+14085550002")
        await h.webhook(.terminate(wacid: first.wacid, completed: true, duration: 1, errors: [], opaque: nil))
        #expect(h.journal.contains("sip.bye \(first.leg)"))
        #expect(!h.journal.contains("sip.bye \(second.leg)"))
        #expect(await h.activeCalls == 1)
    }

    @Test("W14 events after a call ended are ignored (late ACCEPTED, duplicate terminate)")
    func lateEvents() async {
        let h = Harness()
        let (leg, call, wacid) = await h.answeredOutbound()
        await h.sipEvent(.bye, on: leg)
        h.journal.clear()
        await h.webhook(.status(wacid: wacid, .accepted, opaque: call))
        await h.webhook(.terminate(wacid: wacid, completed: true, duration: 3, errors: [], opaque: call))
        await h.sipEvent(.bye, on: leg)
        await h.advance(.seconds(120))
        #expect(h.journal.all.isEmpty)
    }

    @Test("W15 a repeated INVITE for a leg already in the table is ignored")
    func repeatedInvite() async {
        let h = Harness()
        let invite = IncomingInvite(leg: SIPLegID("dup"), sipCallID: "s", origin: .user("alice"), dialled: "+14085551234",
                                    sdpOffer: "o")
        await h.control.handleIncomingInvite(invite)
        await h.control.handleIncomingInvite(invite)
        await h.settle()
        #expect(h.journal.count("wa.connect") == 1)
        #expect(await h.activeCalls == 1)
    }
}
