// Attended transfer whose consultation is an internal call: the INVITE with
// Replaces names the consultation's dialog with the consulted phone.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("Attended transfer through an internal consultation")
struct InternalTransferTests {
    @Test("IT1 X's INVITE goes to bob's phones replacing Y's dialog; answered: NOTIFY 200, BYE alice, bridged; bob's BYE of Y ends Y")
    func transferred() async throws {
        let h = Harness.transfer()
        let (x, xLeg) = try #require(await h.connectedInbound())
        let y = await h.internalInvite(leg: "consult")
        let yCall = "c-000002"
        let yBob = SIPLegID("\(yCall)/leg1")
        await h.sipEvent(.answered(sdp: "bob-sdp", sipCallID: "bob-dialog"), on: yBob)
        await h.refer(nil, on: xLeg, replaces: .leg(y))
        let placed = try #require(h.placed("\(x)/xfer1"))
        #expect(placed.replaces == .dialogOf(yBob))
        #expect(placed.targets.map(\.ownerName) == ["bob", "bob"])
        #expect(placed.callerNumber == "+14085550001")
        await h.sipEvent(.answered(sdp: "bob-new", sipCallID: nil), on: placed.leg)
        let j = h.journal
        let notify = try #require(j.index(of: "sip.notify \(xLeg) 200 final"))
        let bye = try #require(j.index(of: "sip.bye \(xLeg)"))
        #expect(notify < bye)
        #expect(j.contains("media.setSIPRemote \(x) bob-new"))
        #expect(await h.phase(x) == "transferred.connected")
        #expect(h.transferRows(x).last?.kind == .attended)
        #expect(h.transferRows(x).last?.answeredBy == "user:bob")
        await h.sipEvent(.bye, on: yBob)
        #expect(j.contains("sip.bye \(y)"))
        #expect(h.records.endings(CallID(yCall)).first?.reason == .normal)
        #expect(await h.phase(x) == "transferred.connected")
    }

    @Test("IT2 a consultation not yet answered is refused 481; X stays with alice")
    func notAnswered() async throws {
        let h = Harness.transfer()
        let (x, xLeg) = try #require(await h.connectedInbound())
        let y = await h.internalInvite(leg: "consult")
        await h.refer(nil, on: xLeg, replaces: .leg(y))
        #expect(h.journal.contains("sip.notify \(xLeg) 481 final"))
        #expect(h.placed("\(x)/xfer1") == nil)
        #expect(await h.phase(x) == "inbound.connected")
    }

    @Test("IT3 the phone refuses the Replaces INVITE (420): NOTIFY 420, X stays with alice, Y goes on")
    func refused() async throws {
        let h = Harness.transfer()
        let (x, xLeg) = try #require(await h.connectedInbound())
        let y = await h.internalInvite(leg: "consult")
        await h.sipEvent(.answered(sdp: "bob-sdp", sipCallID: nil), on: SIPLegID("c-000002/leg1"))
        await h.refer(nil, on: xLeg, replaces: .leg(y))
        await h.sipEvent(.failed(status: 420, reason: "Bad Extension"), on: SIPLegID("\(x)/xfer1"))
        #expect(h.journal.contains("sip.notify \(xLeg) 420 final"))
        #expect(await h.phase(x) == "inbound.connected")
        #expect(await h.phase("c-000002") == "internal.connected")
    }
}
