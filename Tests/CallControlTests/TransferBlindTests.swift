// Blind transfer in call control: REFER on the answered business leg, the
// target rung with the WhatsApp user's caller id, bridged on answer.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl blind transfer")
struct TransferBlindTests {
    @Test("inbound call: NOTIFY 100, NOTIFY 200 final, BYE alice, ringback, bob rung as Zoe, bridged on answer")
    func inboundBlind() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg)
        let j = h.journal
        let trying = try #require(j.index(of: "sip.notify \(leg) 100"))
        let done = try #require(j.index(of: "sip.notify \(leg) 200 final"))
        let bye = try #require(j.index(of: "sip.bye \(leg)"))
        let detach = try #require(j.index(of: "media.detach \(call) ringback"))
        let reoffer = try #require(j.index(of: "media.reoffer \(call)"))
        let invite = try #require(j.all.firstIndex { $0.hasPrefix("sip.invite \(call)/xfer1 ") })
        #expect(trying < done && done < bye && bye < detach && detach < reoffer && reoffer < invite)
        let placed = try #require(h.placed("\(call)/xfer1"))
        #expect(placed.targets.map(\.description) == ["contact:bob:sip:bob@10.0.0.2:5062",
                                                      "contact:bob:sip:bob@10.0.0.3:5062"])
        #expect(placed.callerNumber == "+14085550001")
        #expect(placed.callerDisplayName == "Zoe")
        #expect(placed.sdpOffer == "sip-reoffer-\(call)")
        #expect(placed.referredBy == "alice")
        #expect(placed.replaces == nil)
        #expect(await h.phase(call) == "transferred.ringing")
        await h.sipEvent(.answered(sdp: "bob-answer", sipCallID: "bob-dialog"), on: SIPLegID("\(call)/xfer1"))
        #expect(j.contains("media.setSIPRemote \(call) bob-answer"))
        #expect(j.contains("sip.ack \(call)/xfer1"))
        #expect(j.count("media.bridge \(call)") == 2)
        #expect(await h.phase(call) == "transferred.connected")
        let rows = h.transferRows(call)
        #expect(rows.last == TransferRecord(seq: 1, kind: .blind, by: "alice", target: "user:bob", outcome: .answered,
                                            answeredBy: "user:bob"))
        await h.sipEvent(.bye, on: SIPLegID("\(call)/xfer1"))
        #expect(j.contains("wa.terminate wacid.in1"))
        #expect(await h.activeCalls == 0)
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("outbound call: the phone that called the WhatsApp user transfers to a ring group")
    func outboundBlind() async throws {
        let h = Harness.transfer()
        let out = await h.answeredOutbound()
        await h.refer("sales", on: out.leg)
        #expect(h.journal.contains("sip.notify \(out.leg) 200 final"))
        #expect(h.journal.contains("sip.bye \(out.leg)"))
        let placed = try #require(h.placed("\(out.call)/xfer1"))
        #expect(placed.targets.count == 3)
        #expect(placed.callerNumber == "+14085551234")
        await h.sipEvent(.answered(sdp: "b", sipCallID: nil), on: placed.leg)
        #expect(await h.phase(out.call) == "transferred.connected")
        await h.webhook(.terminate(wacid: out.wacid, completed: true, duration: 9, errors: [], opaque: out.call))
        #expect(h.journal.contains("sip.bye \(placed.leg)"))
        #expect(h.records.endings(CallID(out.call)).first?.endedBy == .whatsApp)
    }

    @Test("a WhatsApp number is refused with 403, an unknown name with 404; the call stays with alice")
    func refusedTargets() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("+447700900123", on: leg)
        #expect(h.journal.contains("sip.notify \(leg) 403 final"))
        await h.refer("nobody", on: leg)
        #expect(h.journal.contains("sip.notify \(leg) 404 final"))
        #expect(h.journal.count("sip.bye") == 0)
        #expect(h.journal.count("media.reoffer") == 0)
        #expect(await h.phase(call) == "inbound.connected")
        #expect(h.transferRows(call).map(\.status) == [403, 404])
        #expect(h.transferRows(call).map(\.seq) == [1, 2])
    }

    @Test("an extension goes to extension_trunk as the Request-URI user")
    func extensionTrunk() async throws {
        let h = Harness.transfer(extensionTrunk: "pbx")
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("2001", on: leg)
        let placed = try #require(h.placed("\(call)/xfer1"))
        #expect(placed.targets == [.trunk("pbx")])
        #expect(placed.requestUser == "2001")
        #expect(h.transferRows(call).first?.target == "trunk:pbx/2001")
    }

    @Test("a transfer during a transfer gets 491; a REFER on a leg that is not answered gets 481")
    func oneAtATime() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        await h.refer("bob", on: leg, replaces: .remote("abc;to-tag=1;from-tag=2"))
        await h.refer("carol", on: leg)
        #expect(h.journal.contains("sip.notify \(leg) 491 final"))
        await h.refer("carol", on: SIPLegID("\(call)/leg9"))
        #expect(h.journal.contains("sip.notify \(call)/leg9 481 final"))
    }

    @Test("max_calls: the call counts against bob once transferred, no longer against alice")
    func owners() async throws {
        let h = Harness.transfer()
        let (call, leg) = try #require(await h.connectedInbound())
        #expect(await h.control.ownerCounts()["user:alice"] == 1)
        await h.refer("bob", on: leg)
        #expect(await h.control.ownerCounts()["user:alice"] == nil)
        #expect(await h.control.ownerCounts()["user:bob"] == 1)
        await h.sipEvent(.answered(sdp: "b", sipCallID: nil), on: SIPLegID("\(call)/xfer1"))
        #expect(await h.control.ownerCounts() == ["user:bob": 1])
    }

    @Test("bob at max_calls is skipped: the transfer is refused with 480 and alice keeps the call")
    func targetAtLimit() async throws {
        let h = Harness.transfer()
        h.resolver.contacts.withValue { $0["carol"] = ["sip:carol@10.0.0.4"] }
        let (_, first) = try #require(await h.connectedInbound("wacid.a"))
        await h.refer("carol", on: first)
        let (call, leg) = try #require(await h.connectedInbound("wacid.b"))
        await h.refer("carol", on: leg)
        #expect(h.journal.contains("sip.notify \(leg) 480 final"))
        #expect(await h.phase(call) == "inbound.connected")
    }
}
