// The outbound (SIP → WhatsApp) state machine alone: events in, actions out.

import TestSupport
import Testing
@testable import CallControl

let inLeg = SIPLegID("in1")
let user = WhatsAppUser.phone("+14085551234")
let wacid = WACID("wacid.A")
let session = OutboundMediaSession(whatsAppOffer: "wa-offer", sipAnswer: "sip-answer")

func outbound(_ settings: CallSettings = CallSettings()) -> CallStateMachine {
    let invite = IncomingInvite(leg: inLeg, sipCallID: "sip-1", origin: .user("alice"), dialled: user.address,
                                sdpOffer: "sip-offer")
    var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: settings)
    _ = machine.start()
    return machine
}

/// A machine in setup: permission ok, media open, connect answered.
func connected(_ settings: CallSettings = CallSettings()) -> CallStateMachine {
    var machine = outbound(settings)
    _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
    _ = machine.handle(.outboundMediaOpened(session))
    _ = machine.handle(.connectSucceeded(wacid))
    return machine
}

/// A machine answered (200 sent).
func answered() -> CallStateMachine {
    var machine = connected()
    _ = machine.handle(.webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: nil)))
    _ = machine.handle(.webhook(.status(wacid: wacid, .accepted, opaque: nil)))
    _ = machine.handle(.media(.connected))
    return machine
}

func responses(_ actions: [CallControlAction]) -> [Int] {
    actions.compactMap { if case .respond(_, let response) = $0 { return response.status }; return nil }
}

@Suite("Outbound state machine")
struct MachineOutboundTests {
    @Test("O1 start: record, answer timer, permission check")
    func start() {
        let invite = IncomingInvite(leg: inLeg, sipCallID: "sip-1", origin: .user("alice"), dialled: user.address, sdpOffer: "o")
        var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: CallSettings())
        let actions = machine.start()
        #expect(actions.contains(.checkPermission(user: user)))
        #expect(actions.contains(.startTimer(.answerTimeout, after: .seconds(90))))
        #expect(machine.context.sipCallID == "sip-1")
        #expect(machine.phase == "outbound.checking_permission")
    }

    @Test("O2 permission granted → media opened → connect with the WebRTC offer")
    func permissionThenConnect() {
        var machine = outbound()
        #expect(machine.handle(.permissionChecked(CallPermission(status: .temporary)))
            == [.record(.permission("temporary")), .openOutboundMedia(sipOffer: "sip-offer")])
        #expect(machine.handle(.outboundMediaOpened(session)) == [.connect(user: user, offer: "wa-offer")])
        #expect(machine.handle(.connectSucceeded(wacid)) == [.cancelTimer(.setupBudget), .record(.linkedWhatsApp(wacid))])
        #expect(machine.context.wacid == wacid)
    }

    @Test("O3 no permission → 403 with Warning and Reason, no connect, no request unless configured")
    func noPermission() {
        var machine = outbound()
        let actions = machine.handle(.permissionChecked(CallPermission(status: .noPermission)))
        let response = actions.compactMap { if case .respond(_, let r) = $0 { return r }; return nil }.first
        #expect(response?.status == 403)
        #expect(response?.warning?.contains("permission") == true)
        #expect(response?.reason?.cause == 403)
        #expect(!actions.contains { if case .connect = $0 { return true }; return false })
        #expect(!actions.contains { if case .sendPermissionRequest = $0 { return true }; return false })
        #expect(machine.ending?.reason == .noPermission)
        #expect(machine.isFinished)
    }

    @Test("O3b no permission with send_permission_request → request sent, unless Meta says it cannot")
    func noPermissionSendsRequest() {
        var settings = CallSettings()
        settings.sendPermissionRequest = true
        var machine = outbound(settings)
        let actions = machine.handle(.permissionChecked(CallPermission(status: .noPermission)))
        #expect(actions.contains(.sendPermissionRequest(user: user, text: settings.permissionRequestText)))
        var limited = outbound(settings)
        let none = limited.handle(.permissionChecked(CallPermission(status: .noPermission, canRequestPermission: false)))
        #expect(!none.contains { if case .sendPermissionRequest = $0 { return true }; return false })
    }

    @Test("O4 a failed permission check goes on to connect (connect decides)")
    func permissionCheckFailure() {
        var machine = outbound()
        #expect(machine.handle(.permissionCheckFailed(.timeout(outcomeUnknown: false)))
            == [.record(.permission("unknown")), .openOutboundMedia(sipOffer: "sip-offer")])
    }

    @Test("O5 RINGING → 180 once, duplicates ignored")
    func ringing() {
        var machine = connected()
        let first = machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: nil)))
        #expect(responses(first) == [180])
        #expect(first.contains(.record(.ringing)))
        #expect(machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: nil))).isEmpty)
    }

    @Test("O6 RINGING with early_media = ringback → 183 with SDP and local ringback")
    func ringback() {
        var settings = CallSettings()
        settings.earlyMedia = .ringback
        var machine = connected(settings)
        let actions = machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: nil)))
        #expect(actions.contains(.respond(inLeg, SIPResponse(status: 183, sdp: "sip-answer"))))
        #expect(actions.contains(.startRingback))
    }

    @Test("O7 answer SDP → ICE/DTLS started; 200 waits for ACCEPTED and media connected",
          arguments: [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]])
    func twoHundredNeedsAllThree(order: [Int]) {
        var machine = connected()
        let events: [CallEvent] = [
            .webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: nil)),
            .webhook(.status(wacid: wacid, .accepted, opaque: nil)),
            .media(.connected),
        ]
        var all: [CallControlAction] = []
        for (step, index) in order.enumerated() {
            let actions = machine.handle(events[index])
            all += actions
            #expect(responses(actions).contains(200) == (step == 2))
        }
        #expect(all.contains(.startWhatsAppMedia(remoteAnswer: "meta-answer")))
        #expect(all.contains(.respond(inLeg, SIPResponse(status: 200, sdp: "sip-answer"))))
        #expect(all.contains(.startBridging))
        #expect(all.contains(.record(.answered)))
        #expect(machine.phase == "outbound.answered")
    }

    @Test("O8 CANCEL before connect answered → 487 now, terminate when the wacid arrives")
    func cancelWhileConnecting() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        let actions = machine.handle(.sip(inLeg, .cancelled))
        #expect(responses(actions) == [487])
        #expect(actions.contains(.closeMedia))
        #expect(!machine.isFinished)
        #expect(machine.handle(.connectSucceeded(wacid)).contains(.terminate(wacid)))
        #expect(machine.isFinished)
    }

    @Test("O9 CANCEL while ringing → terminate + 487")
    func cancelWhileRinging() {
        var machine = connected()
        let actions = machine.handle(.sip(inLeg, .cancelled))
        #expect(actions.contains(.terminate(wacid)))
        #expect(responses(actions) == [487])
        #expect(machine.ending == CallEnding(reason: .cancelled, endedBy: .sip, sipStatus: 487))
    }

    @Test("O10 SIP BYE after answer → terminate; O11 terminate webhook after answer → BYE")
    func hangUps() {
        var bySIP = answered()
        let byeActions = bySIP.handle(.sip(inLeg, .bye))
        #expect(byeActions.contains(.terminate(wacid)))
        #expect(!byeActions.contains { $0.endsSIPLeg })
        #expect(bySIP.ending?.endedBy == .sip)
        var byWhatsApp = answered()
        let terminate = byWhatsApp.handle(.webhook(.terminate(wacid: wacid, completed: true, duration: 9, errors: [], opaque: nil)))
        #expect(terminate.contains(.hangUp(inLeg, nil)))
        #expect(!terminate.contains { $0.endsWhatsAppLeg })
        #expect(byWhatsApp.ending?.reason == .normal)
    }

    @Test("O12 REJECTED → 603 Decline; the following terminate is ignored")
    func rejected() {
        var machine = connected()
        let actions = machine.handle(.webhook(.status(wacid: wacid, .rejected, opaque: nil)))
        #expect(responses(actions) == [603])
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.handle(.webhook(.terminate(wacid: wacid, completed: false, duration: nil, errors: [], opaque: nil))).isEmpty)
        #expect(machine.ending?.reason == .rejected)
    }

    @Test("O13 terminate without answer → 480, no terminate sent")
    func terminateUnanswered() {
        var machine = connected()
        let actions = machine.handle(.webhook(.terminate(wacid: wacid, completed: false, duration: nil, errors: [], opaque: nil)))
        #expect(responses(actions) == [480])
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.ending?.reason == .noAnswer)
    }

    @Test("O14 terminate with an error code before answer → 480 carrying the code")
    func terminateWithError() {
        var machine = connected()
        let error = WhatsAppCallError(code: 138021, title: "Media receive timeout")
        let actions = machine.handle(.webhook(.terminate(wacid: wacid, completed: false, duration: nil, errors: [error],
                                                        opaque: nil)))
        #expect(machine.ending?.whatsAppCode == 138021)
        #expect(machine.ending?.reason == .whatsAppError)
        let warning = actions.compactMap { action -> String? in
            if case .respond(_, let response) = action { response.warning } else { nil }
        }.first
        #expect(warning == "WhatsApp 138021: Meta received no media from the business: check the WebRTC leg's "
            + "firewall and NAT (Media receive timeout)")
    }

    @Test("O15 ICE/DTLS failure before answer → terminate + 503")
    func mediaFailureBeforeAnswer() {
        var machine = connected()
        _ = machine.handle(.webhook(.answer(wacid: wacid, sdp: "a", opaque: nil)))
        let actions = machine.handle(.media(.failed("dtls alert")))
        #expect(actions.contains(.terminate(wacid)))
        #expect(responses(actions) == [503])
    }

    @Test("O16 ACCEPTED but media never connects → media setup timer ends the call")
    func mediaSetupTimeout() {
        var machine = connected()
        let accepted = machine.handle(.webhook(.status(wacid: wacid, .accepted, opaque: nil)))
        #expect(accepted.contains(.startTimer(.mediaSetup, after: .seconds(10))))
        let actions = machine.handle(.timer(.mediaSetup))
        #expect(actions.contains(.terminate(wacid)))
        #expect(responses(actions) == [503])
    }

    @Test("O17 no answer within the answer timeout → terminate + 480")
    func answerTimeout() {
        var machine = connected()
        let actions = machine.handle(.timer(.answerTimeout))
        #expect(actions.contains(.terminate(wacid)))
        #expect(responses(actions) == [480])
        #expect(machine.ending?.endedBy == .gateway)
    }

    @Test("O18 media failure or RTP timeout after answer → BYE + terminate")
    func mediaFailureAfterAnswer() {
        for event in [MediaEvent.failed("ice"), .rtpTimeout(.whatsApp), .rtpTimeout(.sip)] {
            var machine = answered()
            let actions = machine.handle(.media(event))
            #expect(actions.contains(.hangUp(inLeg, nil)))
            #expect(actions.contains(.terminate(wacid)))
        }
    }

    @Test("O19 media open failure → 488 for SDP problems, 503 for resources; no connect")
    func mediaOpenFailure() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        #expect(responses(machine.handle(.mediaOpenFailed(MediaFailure(.incompatibleSDP, "no codec")))) == [488])
        var other = outbound()
        _ = other.handle(.permissionChecked(CallPermission(status: .permanent)))
        #expect(responses(other.handle(.mediaOpenFailed(MediaFailure(.resources, "no ports")))) == [503])
    }

    @Test("O20 SIP leg failure (ACK timeout, 481) after answer → terminate, no BYE")
    func sipFailureAfterAnswer() {
        var machine = answered()
        let actions = machine.handle(.sip(inLeg, .failed(status: 408, reason: "no ACK")))
        #expect(actions.contains(.terminate(wacid)))
        #expect(!actions.contains { $0.endsSIPLeg })
    }

    @Test("O21 DTMF: SIP INFO → in-band to WhatsApp; WhatsApp digit not relayed → SIP INFO")
    func dtmf() {
        var machine = answered()
        let digit = DTMFDigit("5")
        #expect(machine.handle(.sip(inLeg, .dtmf(digit))) == [.sendMediaDTMF(digit, toward: .whatsApp)])
        #expect(machine.handle(.media(.dtmf(digit, from: .whatsApp, relayed: false))) == [.sendSIPDTMF(digit, inLeg)])
        #expect(machine.handle(.media(.dtmf(digit, from: .whatsApp, relayed: true))).isEmpty)
    }

    @Test("O22 re-INVITE/UPDATE go to media for the answer (ours when offerless); late-offer ACK SDP applied")
    func reinvite() {
        var machine = answered()
        #expect(machine.handle(.sip(inLeg, .offered(sdp: "hold-sdp"))) == [.answerOffer(inLeg, offer: "hold-sdp")])
        #expect(machine.handle(.sip(inLeg, .offered(sdp: nil))) == [.answerOffer(inLeg, offer: nil)])
        #expect(machine.handle(.sip(inLeg, .acknowledged(sdp: "late"))) == [.setSIPRemote("late")])
        #expect(machine.handle(.sip(inLeg, .acknowledged(sdp: nil))).isEmpty)
    }

    @Test("O22 an in-dialog offer before the 200 gets 491; after the call ended, 481")
    func offerOutsideAnsweredCall() {
        var ringing = connected()
        #expect(ringing.handle(.sip(inLeg, .offered(sdp: "x")))
            == [.respondInDialog(inLeg, SIPResponse(status: 491, phrase: "Request Pending"))])
        var ended = answered()
        _ = ended.handle(.sip(inLeg, .bye))
        #expect(ended.handle(.sip(inLeg, .offered(sdp: "x")))
            == [.respondInDialog(inLeg, SIPResponse(status: 481, phrase: "Call/Transaction Does Not Exist"))])
    }

    @Test("O22 a late-offer call: the 200 carries media's offer, the ACK's SDP is the answer for media")
    func lateOffer() {
        let invite = IncomingInvite(leg: inLeg, sipCallID: "sip-1", origin: .user("alice"), dialled: user.address,
                                    sdpOffer: nil)
        var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: CallSettings())
        _ = machine.start()
        #expect(machine.handle(.permissionChecked(CallPermission(status: .permanent)))
            == [.record(.permission("permanent")), .openOutboundMedia(sipOffer: nil)])
        _ = machine.handle(.outboundMediaOpened(OutboundMediaSession(whatsAppOffer: "wa", sipAnswer: "our-offer")))
        _ = machine.handle(.connectSucceeded(wacid))
        _ = machine.handle(.webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: nil)))
        _ = machine.handle(.webhook(.status(wacid: wacid, .accepted, opaque: nil)))
        let answer = machine.handle(.media(.connected))
        #expect(answer.contains(.respond(inLeg, SIPResponse(status: 200, sdp: "our-offer"))))
        #expect(machine.handle(.sip(inLeg, .acknowledged(sdp: "phone-answer"))) == [.setSIPRemote("phone-answer")])
    }

    @Test("O23 shutdown while ringing → 503 + terminate; after answer → BYE + terminate")
    func shutdown() {
        var ringing = connected()
        let actions = ringing.handle(.shutdown)
        #expect(responses(actions) == [503])
        #expect(actions.contains(.terminate(wacid)))
        var talking = answered()
        let after = talking.handle(.shutdown)
        #expect(after.contains(.hangUp(inLeg, after.compactMap { if case .hangUp(_, let r) = $0 { return r }; return nil }.first ?? nil)))
        #expect(after.contains(.terminate(wacid)))
        #expect(talking.ending?.reason == .shutdown)
    }

    @Test("O24 a webhook overtaking the connect response teaches the wacid; the response is then a no-op")
    func webhookBeforeConnectResponse() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        let ringing = machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: "c-1")))
        #expect(ringing.contains(.record(.linkedWhatsApp(wacid))))
        #expect(responses(ringing) == [180])
        #expect(machine.handle(.connectSucceeded(wacid)).isEmpty)
    }

    @Test("timers and media are released exactly once when the call ends")
    func cleanupOnce() {
        var machine = connected()
        let actions = machine.handle(.sip(inLeg, .cancelled))
        #expect(actions.filter { $0 == .closeMedia }.count == 1)
        #expect(actions.contains(.cancelTimer(.answerTimeout)))
        #expect(machine.handle(.sip(inLeg, .cancelled)).isEmpty)
        #expect(machine.handle(.timer(.answerTimeout)).isEmpty)
    }
}
