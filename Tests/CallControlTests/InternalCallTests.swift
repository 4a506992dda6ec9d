// Internal calls in call control: a user dials a user or a ring group by name.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

extension Harness {
    /// alice dials `dialled` with `offer` (a phone's SDP, or `webrtc…` for a browser's).
    func internalInvite(_ dialled: String = "bob", offer: String = "alice-sdp", leg: String = "in1") async -> SIPLegID {
        let id = SIPLegID(leg)
        await control.handleIncomingInvite(IncomingInvite(leg: id, sipCallID: "sip-\(leg)", origin: .user("alice"),
                                                          dialled: dialled, sdpOffer: offer))
        await settle()
        return id
    }
}

@Suite("Internal calls")
struct InternalCallTests {
    private let call = CallID("c-000001")
    private let bobLeg = SIPLegID("c-000001/leg1")

    @Test("IC1 phone to phone: bob's phones ring with alice's own SDP; 180 and 200 relayed; no Graph request; CDR internal")
    func direct() async {
        let h = Harness()
        let alice = await h.internalInvite()
        let placed = h.sip.placed.current.first
        #expect(placed?.targets.count == 2)
        #expect(placed?.sdpOffer == "alice-sdp")
        #expect(placed?.callerNumber == "alice")
        await h.sipEvent(.progress(status: 180, sdp: nil), on: bobLeg)
        #expect(h.sip.lastResponse(alice)?.status == 180)
        await h.sipEvent(.answered(sdp: "bob-sdp", sipCallID: "bob-call"), on: bobLeg)
        #expect(h.sip.lastResponse(alice)?.status == 200)
        #expect(h.sip.lastResponse(alice)?.sdp == "bob-sdp")
        #expect(h.journal.contains("sip.ack \(bobLeg)"))
        #expect(h.journal.count("wa.") == 0)
        #expect(h.journal.count("media.bridge") == 0)
        guard case .started(let start) = h.records.events(call).first else {
            Issue.record("no start record")
            return
        }
        #expect(start.direction == .internal)
        #expect(start.wacid == nil && start.number == nil)
        #expect(start.to == "user:bob")
        await h.sipEvent(.bye, on: alice)
        #expect(h.journal.contains("sip.bye \(bobLeg)"))
        #expect(h.records.endings(call).first?.reason == .normal)
        #expect(await h.activeCalls == 0)
    }

    @Test("IC2 a browser caller is anchored: bob gets media's offer; his answer goes to media; alice gets media's answer; bob's BYE ends alice")
    func anchored() async {
        let h = Harness()
        let alice = await h.internalInvite(offer: "webrtc-offer")
        #expect(h.sip.placed.current.first?.sdpOffer == "sip-internal-offer-\(call)")
        await h.sipEvent(.progress(status: 180, sdp: nil), on: bobLeg)
        #expect(h.sip.lastResponse(alice)?.sdp == "browser-answer-\(call)")
        await h.sipEvent(.answered(sdp: "bob-sdp", sipCallID: nil), on: bobLeg)
        #expect(h.journal.contains("media.setSIPRemote \(call) bob-sdp"))
        #expect(h.journal.contains("media.bridge \(call)"))
        #expect(h.sip.lastResponse(alice)?.status == 200)
        #expect(h.sip.lastResponse(alice)?.sdp == "browser-answer-\(call)")
        await h.sipEvent(.bye, on: bobLeg)
        #expect(h.journal.contains("sip.bye \(alice)"))
        #expect(h.journal.contains("media.close \(call)"))
        #expect(await h.activeCalls == 0)
    }

    @Test("IC3 CANCEL from the caller cancels bob's INVITE (487); bob's 486 reaches the caller")
    func cancelAndBusy() async {
        let h = Harness()
        let alice = await h.internalInvite()
        await h.sipEvent(.cancelled, on: alice)
        #expect(h.sip.lastResponse(alice)?.status == 487)
        #expect(h.journal.contains("sip.cancel \(bobLeg)"))
        let second = await h.internalInvite(leg: "in2")
        await h.sipEvent(.failed(status: 486, reason: "Busy Here"), on: SIPLegID("c-000002/leg1"))
        #expect(h.sip.lastResponse(second)?.status == 486)
        #expect(h.records.endings(CallID("c-000002")).first?.reason == .busy)
        #expect(await h.activeCalls == 0)
    }

    @Test("IC3b a callee's 401/407 is never relayed as a challenge: the caller gets 403 (the challenge was for wagate)",
          arguments: [401, 407])
    func challengeBecomesForbidden(status: Int) async {
        let h = Harness()
        let alice = await h.internalInvite()
        await h.sipEvent(.failed(status: status, reason: "Proxy Authentication Required"), on: bobLeg)
        #expect(h.sip.lastResponse(alice)?.status == 403)
        #expect(h.records.endings(call).first?.reason == .rejected)
        #expect(h.records.endings(call).first?.sipStatus == status)
    }

    @Test("IC4 limits count both users: bob at max_calls is not rung (480); alice at hers gets 486")
    func limits() async {
        let h = Harness()
        await h.internalInvite(leg: "in1")
        await h.internalInvite(leg: "in2")
        let third = await h.internalInvite("carol", leg: "in3")  // over alice's max_calls of 2
        #expect(h.sip.lastResponse(SIPLegID("in1"))?.status == nil)
        #expect(h.sip.placed.current.count == 2)
        #expect(h.sip.lastResponse(third)?.status == 486)
        let carol = SIPLegID("carol-in")
        await h.control.handleIncomingInvite(IncomingInvite(leg: carol, sipCallID: "c", origin: .user("carol"),
                                                            dialled: "bob", sdpOffer: "carol-sdp"))
        await h.settle()
        #expect(h.sip.lastResponse(carol)?.status == 480)
    }

    @Test("IC5 with internal_calls = no a user name goes to the dial plan (404)")
    func disabled() async {
        var config = GatewayConfig.test()
        config.transfer.internalCalls = false
        let h = Harness(config: config)
        let alice = await h.internalInvite()
        #expect(h.sip.lastResponse(alice)?.status == 404)
        #expect(h.sip.placed.current.isEmpty)
    }

    @Test("IC6 a group rings its members but not the caller")
    func group() async {
        let h = Harness()
        await h.internalInvite("sales")
        let targets = h.sip.placed.current.first?.targets.map(\.ownerName) ?? []
        #expect(targets == ["bob", "bob"])
    }

    @Test("IC7 direct media: bob's hold re-INVITE is answered locally with alice's SDP mirrored (recvonly, o= version up)")
    func directHold() async {
        let h = Harness()
        let offer = "v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"
        let alice = await h.internalInvite(offer: offer)
        await h.sipEvent(.answered(sdp: "bob-sdp", sipCallID: nil), on: bobLeg)
        await h.sipEvent(.offered(sdp: "m=audio 5000 RTP/AVP 0\r\na=sendonly\r\n"), on: bobLeg)
        let answer = h.sip.lastResponse(bobLeg)?.sdp ?? ""
        #expect(answer.contains("a=recvonly"))
        #expect(!answer.contains("a=sendrecv"))
        #expect(answer.contains("o=alice 1 2 IN IP4"))
        #expect(h.sip.lastResponse(alice)?.status == 200)
    }
}
