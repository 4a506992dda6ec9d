// The inbound (WhatsApp → SIP) state machine alone.

import TestSupport
import Testing
@testable import CallControl

let inWACID = WACID("wacid.in")
let inSession = InboundMediaSession(sipOffer: "sip-offer", whatsAppAnswer: "wa-answer")
let leg1 = SIPLegID("c-2/leg1")
let leg2 = SIPLegID("c-2/leg2")

func plan(_ stages: Int = 1, timeout: Duration? = nil) -> RingPlan {
    RingPlan(stages: (0..<stages).map {
        RingStage(targets: [.contact(user: "u\($0)", uri: "sip:u\($0)@h")], callerNumber: "+4477001", timeout: timeout)
    }, targetName: "group:test")
}

func inbound(_ plan: RingPlan = plan(), offer: String? = "meta-offer", settings: CallSettings = CallSettings())
    -> (CallStateMachine, [CallControlAction]) {
    var machine = CallStateMachine(id: CallID("c-2"), inbound: inWACID, caller: .phone("+4477001", name: "Zoe"),
                                   offer: offer, plan: plan, settings: settings)
    let actions = machine.start()
    return (machine, actions)
}

/// An inbound call whose first stage rings.
func ringingInbound(_ plan: RingPlan = plan()) -> CallStateMachine {
    var (machine, _) = inbound(plan)
    _ = machine.handle(.inboundMediaOpened(inSession))
    return machine
}

func connectedInbound() -> CallStateMachine {
    var machine = ringingInbound()
    _ = machine.handle(.sip(leg1, .answered(sdp: "phone-answer", sipCallID: "sip-out-1")))
    _ = machine.handle(.whatsAppResult(.accept, nil))
    return machine
}

@Suite("Inbound state machine")
struct MachineInboundTests {
    @Test("I1 connect → media opened → INVITE with the SIP offer, caller +E164 and profile name; ring timer armed")
    func invite() {
        var (machine, start) = inbound()
        #expect(start.contains(.openInboundMedia(whatsAppOffer: "meta-offer", webRTCTargets: false)))
        #expect(start.contains(.startTimer(.ringTimeout, after: .seconds(25))))
        let actions = machine.handle(.inboundMediaOpened(inSession))
        var expected = OutgoingSIPCall(leg: leg1, targets: [.contact(user: "u0", uri: "sip:u0@h")],
                                       callerNumber: "+4477001", callerDisplayName: "Zoe", sdpOffer: "sip-offer")
        expected.caller = .phone("+4477001", name: "Zoe")
        #expect(actions == [.placeCall(expected)])
    }

    @Test("I2 no route (empty plan) → reject at once")
    func noRoute() {
        let (machine, actions) = inbound(RingPlan(stages: [], targetName: "none"))
        #expect(actions.contains(.reject(inWACID)))
        #expect(machine.ending?.reason == .noRoute)
        #expect(!actions.contains(.closeMedia))
    }

    @Test("I3 connect without SDP offer → reject")
    func noOffer() {
        let (machine, actions) = inbound(offer: nil)
        #expect(actions.contains(.reject(inWACID)))
        #expect(machine.isEnded)
    }

    @Test("I4 first 180/183 → pre_accept with the answer + ICE/DTLS started; later ones ignored")
    func preAccept() {
        var machine = ringingInbound()
        let first = machine.handle(.sip(leg1, .progress(status: 183, sdp: "early")))
        #expect(first == [.preAccept(inWACID, answer: "wa-answer"), .startWhatsAppMedia(remoteAnswer: nil), .record(.ringing)])
        #expect(machine.handle(.sip(leg1, .progress(status: 180, sdp: nil))).isEmpty)
    }

    @Test("I5 200 → accept with the same SDP; accept OK → ACK → bridged (media may now flow)")
    func answerAccept() {
        var machine = ringingInbound()
        _ = machine.handle(.sip(leg1, .progress(status: 180, sdp: nil)))
        let answered = machine.handle(.sip(leg1, .answered(sdp: "phone-answer", sipCallID: "sip-out-1")))
        #expect(answered.contains(.accept(inWACID, answer: "wa-answer")))
        #expect(answered.contains(.setSIPRemote("phone-answer")))
        #expect(answered.contains(.cancelTimer(.ringTimeout)))
        #expect(!answered.contains(.startBridging))
        #expect(machine.context.sipCallID == "sip-out-1")
        let accepted = machine.handle(.whatsAppResult(.accept, nil))
        #expect(accepted == [.acknowledge(leg1), .startBridging, .record(.answered)])
        #expect(machine.phase == "inbound.connected")
    }

    @Test("I6 200 without any 18x → ICE/DTLS started with accept")
    func answerWithoutProgress() {
        var machine = ringingInbound()
        let actions = machine.handle(.sip(leg1, .answered(sdp: nil, sipCallID: nil)))
        #expect(actions.contains(.startWhatsAppMedia(remoteAnswer: nil)))
        #expect(!actions.contains { if case .preAccept = $0 { return true }; return false })
    }

    @Test("I7 accept fails → ACK + BYE the SIP leg, terminate")
    func acceptFails() {
        var machine = ringingInbound()
        _ = machine.handle(.sip(leg1, .answered(sdp: nil, sipCallID: nil)))
        let actions = machine.handle(.whatsAppResult(.accept, .graph(code: 138004, httpStatus: 500, message: "x")))
        #expect(actions.contains(.acknowledge(leg1)))
        #expect(actions.contains(.hangUp(leg1, nil)))
        #expect(actions.contains(.terminate(inWACID)))
    }

    @Test("I8 ring timeout → CANCEL + reject")
    func ringTimeout() {
        var machine = ringingInbound()
        let actions = machine.handle(.timer(.ringTimeout))
        #expect(actions.contains(.cancel(leg1, nil)))
        #expect(actions.contains(.reject(inWACID)))
        #expect(machine.ending?.reason == .noAnswer)
    }

    @Test("I9 all busy (486) → reject, end reason busy; 603 → rejected",
          arguments: [(486, CallEndReason.busy), (600, .busy), (603, .rejected), (480, .noAnswer), (500, .sipError)])
    func busy(status: Int, reason: CallEndReason) {
        var machine = ringingInbound()
        let actions = machine.handle(.sip(leg1, .failed(status: status, reason: nil)))
        #expect(actions.contains(.reject(inWACID)))
        #expect(!actions.contains { if case .cancel = $0 { return true }; return false })
        #expect(machine.ending?.reason == reason)
    }

    @Test("I10 terminate webhook before answer → CANCEL, no reject")
    func terminateBeforeAnswer() {
        var machine = ringingInbound()
        let actions = machine.handle(.webhook(.terminate(wacid: inWACID, completed: false, duration: nil, errors: [], opaque: nil)))
        #expect(actions.contains(.cancel(leg1, nil)))
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.ending?.endedBy == .whatsApp)
    }

    @Test("I11 terminate webhook after answer → BYE; while accepting → ACK + BYE")
    func terminateAfterAnswer() {
        var machine = connectedInbound()
        let actions = machine.handle(.webhook(.terminate(wacid: inWACID, completed: true, duration: 3, errors: [], opaque: nil)))
        #expect(actions.contains(.hangUp(leg1, nil)))
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        var accepting = ringingInbound()
        _ = accepting.handle(.sip(leg1, .answered(sdp: nil, sipCallID: nil)))
        let early = accepting.handle(.webhook(.terminate(wacid: inWACID, completed: false, duration: nil, errors: [], opaque: nil)))
        #expect(early.contains(.acknowledge(leg1)))
        #expect(early.contains(.hangUp(leg1, nil)))
    }

    @Test("I12 SIP BYE after answer → terminate")
    func byeAfterAnswer() {
        var machine = connectedInbound()
        let actions = machine.handle(.sip(leg1, .bye))
        #expect(actions.contains(.terminate(inWACID)))
        #expect(!actions.contains { $0.endsSIPLeg })
    }

    @Test("I13 sequential: member timeout → CANCEL, next member; last member timeout → reject")
    func sequential() {
        var machine = ringingInbound(plan(2, timeout: .seconds(10)))
        let next = machine.handle(.timer(.memberTimeout(stage: 0)))
        #expect(next.first == .cancel(leg1, nil))
        #expect(next.contains { if case .placeCall(let call) = $0 { return call.leg == leg2 }; return false })
        #expect(next.contains(.startTimer(.memberTimeout(stage: 1), after: .seconds(10))))
        let last = machine.handle(.timer(.memberTimeout(stage: 1)))
        #expect(last.filter { if case .cancel = $0 { return true }; return false } == [.cancel(leg2, nil)])
        #expect(last.contains(.reject(inWACID)))
    }

    @Test("I14 sequential: a busy member moves to the next one at once")
    func sequentialBusy() {
        var machine = ringingInbound(plan(2, timeout: .seconds(10)))
        let next = machine.handle(.sip(leg1, .failed(status: 486, reason: nil)))
        #expect(next.contains { if case .placeCall(let call) = $0 { return call.leg == leg2 }; return false })
        #expect(!next.contains { if case .cancel = $0 { return true }; return false })
        #expect(!machine.isEnded)
    }

    @Test("I15 a 200 from a leg given up on → ACK + BYE it; the call is untouched")
    func strayAnswer() {
        var machine = ringingInbound(plan(2, timeout: .seconds(10)))
        _ = machine.handle(.timer(.memberTimeout(stage: 0)))
        let actions = machine.handle(.sip(leg1, .answered(sdp: nil, sipCallID: nil)))
        #expect(actions == [.acknowledge(leg1), .hangUp(leg1, nil)])
        #expect(machine.phase == "inbound.ringing")
    }

    @Test("I16 the pre_accept of stage one is not repeated for stage two")
    func preAcceptOnce() {
        var machine = ringingInbound(plan(2, timeout: .seconds(10)))
        _ = machine.handle(.sip(leg1, .progress(status: 180, sdp: nil)))
        _ = machine.handle(.timer(.memberTimeout(stage: 0)))
        #expect(machine.handle(.sip(leg2, .progress(status: 180, sdp: nil))).isEmpty)
    }

    @Test("I17 media open failure → reject")
    func mediaOpenFailure() {
        var (machine, _) = inbound()
        let actions = machine.handle(.mediaOpenFailed(MediaFailure(.incompatibleSDP, "no opus")))
        #expect(actions.contains(.reject(inWACID)))
        #expect(machine.ending?.reason == .mediaFailure)
    }

    @Test("I18 ICE/DTLS failure while ringing → CANCEL + reject; after answer → BYE + terminate")
    func mediaFailure() {
        var ringing = ringingInbound()
        let early = ringing.handle(.media(.failed("ice")))
        #expect(early.contains(.cancel(leg1, nil)) && early.contains(.reject(inWACID)))
        var talking = connectedInbound()
        let late = talking.handle(.media(.rtpTimeout(.sip)))
        #expect(late.contains(.hangUp(leg1, nil)) && late.contains(.terminate(inWACID)))
    }

    @Test("I19 DTMF both ways once bridged")
    func dtmf() {
        var machine = connectedInbound()
        let digit = DTMFDigit("#")
        #expect(machine.handle(.media(.dtmf(digit, from: .whatsApp, relayed: false))) == [.sendSIPDTMF(digit, leg1)])
        #expect(machine.handle(.sip(leg1, .dtmf(digit))) == [.sendMediaDTMF(digit, toward: .whatsApp)])
        #expect(machine.handle(.media(.dtmf(digit, from: .sip, relayed: false))) == [.sendMediaDTMF(digit, toward: .whatsApp)])
    }

    @Test("I20 shutdown while ringing → CANCEL + reject; connected → BYE + terminate")
    func shutdown() {
        var ringing = ringingInbound()
        let early = ringing.handle(.shutdown)
        #expect(early.contains(.cancel(leg1, nil)) && early.contains(.reject(inWACID)))
        var talking = connectedInbound()
        let late = talking.handle(.shutdown)
        #expect(late.contains(.hangUp(leg1, nil)) && late.contains(.terminate(inWACID)))
    }

    @Test("I21 terminate while media opens → no INVITE when the media answers; media closed")
    func terminateWhileOpening() {
        var (machine, _) = inbound()
        _ = machine.handle(.webhook(.terminate(wacid: inWACID, completed: false, duration: nil, errors: [], opaque: nil)))
        #expect(machine.handle(.inboundMediaOpened(inSession)) == [.closeMedia])
    }

    @Test("I22 SIP leg failure after answer (481, transport) → terminate")
    func legFailureAfterAnswer() {
        var machine = connectedInbound()
        let actions = machine.handle(.sip(leg1, .failed(status: 481, reason: nil)))
        #expect(actions.contains(.terminate(inWACID)))
        #expect(!actions.contains { $0.endsSIPLeg })
    }

    @Test("I re-INVITE from the answering phone is answered by media; its offerless ACK answer applied")
    func reinviteFromPhone() {
        var machine = connectedInbound()
        #expect(machine.handle(.sip(leg1, .offered(sdp: "pcma"))) == [.answerOffer(leg1, offer: "pcma")])
        #expect(machine.handle(.sip(leg1, .acknowledged(sdp: "answer"))) == [.setSIPRemote("answer")])
        #expect(machine.handle(.sip(leg2, .offered(sdp: "x")))
            == [.respondInDialog(leg2, SIPResponse(status: 491, phrase: "Request Pending"))])
    }
}
