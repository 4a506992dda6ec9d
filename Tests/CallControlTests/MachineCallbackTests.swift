// The callback state machine alone: arming with the 403, then the SIP leg
// first, `connect` once the phone answered, and every way either leg ends.

import TestSupport
import Testing
@testable import CallControl

private let cbLeg = SIPLegID("cb-1/leg1")
private let cbTarget = CallbackTarget(name: "user:alice", targets: [.contact(user: "alice", uri: "sip:alice@10.0.0.2")],
                                      callerNumber: user.address)

private func callback() -> (CallStateMachine, [CallControlAction]) {
    var machine = CallStateMachine(id: CallID("cb-1"), callback: CallbackCall(user: user, target: cbTarget),
                                   settings: CallSettings())
    let actions = machine.start()
    return (machine, actions)
}

/// A callback whose phone has answered (connect sent and answered).
private func phoneAnswered() -> CallStateMachine {
    var (machine, _) = callback()
    _ = machine.handle(.outboundMediaOpened(session))
    _ = machine.handle(.sip(cbLeg, .answered(sdp: "phone-answer", sipCallID: "cb-sip")))
    _ = machine.handle(.connectSucceeded(wacid))
    return machine
}

/// A callback bridged both ways.
private func bridged() -> CallStateMachine {
    var machine = phoneAnswered()
    _ = machine.handle(.webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: nil)))
    _ = machine.handle(.webhook(.status(wacid: wacid, .accepted, opaque: nil)))
    _ = machine.handle(.media(.connected))
    return machine
}

@Suite("Callback state machine")
struct MachineCallbackTests {
    @Test("a 403 for lack of permission arms a callback first, when the caller has a window")
    func arming() {
        var settings = CallSettings()
        settings.sendPermissionRequest = true
        let invite = IncomingInvite(leg: inLeg, sipCallID: "sip-1", origin: .user("alice"), dialled: user.address,
                                    fromUser: "1001", sdpOffer: "sip-offer")
        var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: settings,
                                       callbackWindow: .seconds(600))
        _ = machine.start()
        let actions = machine.handle(.permissionChecked(CallPermission(status: .noPermission)))
        #expect(actions.contains(.armCallback(CallbackRequest(invite: invite, user: user, window: .seconds(600)))))
        let armAt = actions.firstIndex { if case .armCallback = $0 { return true }; return false }
        let respondAt = actions.firstIndex { if case .respond = $0 { return true }; return false }
        let response = respondAt.flatMap { if case .respond(_, let r) = actions[$0] { return r }; return nil }
        #expect(response?.status == 403)
        // Call control announces the callback on this 403 once it has armed it,
        // so the arming must come first.
        #expect(armAt != nil && respondAt != nil && armAt! < respondAt!)
    }

    @Test("connect refused with 138006 (the check said yes) arms a callback too, before the 403")
    func armingOnConnectRefusal() {
        var settings = CallSettings()
        settings.sendPermissionRequest = true
        let invite = IncomingInvite(leg: inLeg, sipCallID: "sip-1", origin: .trunk("pbx"), dialled: user.address,
                                    fromUser: "200", sdpOffer: "sip-offer")
        var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: settings,
                                       callbackWindow: .seconds(60))
        _ = machine.start()
        _ = machine.handle(.permissionChecked(CallPermission(status: .temporary)))
        _ = machine.handle(.outboundMediaOpened(session))
        let actions = machine.handle(.connectFailed(.graph(code: FailureMapping.noPermissionCode, httpStatus: 400,
                                                           message: "no permission")))
        #expect(actions.contains(.armCallback(CallbackRequest(invite: invite, user: user, window: .seconds(60)))))
        let armAt = actions.firstIndex { if case .armCallback = $0 { return true }; return false }
        let respondAt = actions.firstIndex { if case .respond = $0 { return true }; return false }
        let response = respondAt.flatMap { if case .respond(_, let r) = actions[$0] { return r }; return nil }
        #expect(response?.status == 403)
        #expect(armAt != nil && respondAt != nil && armAt! < respondAt!)
    }

    @Test("no callback without a permission request, nor without a window")
    func notArmed() {
        var machine = outbound()
        let actions = machine.handle(.permissionChecked(CallPermission(status: .noPermission)))
        #expect(!actions.contains { if case .armCallback = $0 { return true }; return false })
        var settings = CallSettings()
        settings.sendPermissionRequest = true
        var withRequest = outbound(settings)
        let refused = withRequest.handle(.permissionChecked(CallPermission(status: .noPermission)))
        #expect(!refused.contains { if case .armCallback = $0 { return true }; return false })
    }

    @Test("start: record as callback, ring guard, media without a SIP offer; then the INVITE with wagate's offer")
    func start() {
        var (machine, actions) = callback()
        #expect(machine.direction == .callback)
        #expect(actions.contains(.openOutboundMedia(sipOffer: nil)))
        #expect(actions.contains(.startTimer(.ringTimeout, after: .seconds(25))))
        #expect(actions.contains { if case .record(.started(let s)) = $0 { return s.direction == .callback }; return false })
        let placed = machine.handle(.outboundMediaOpened(session))
        let call = OutgoingSIPCall(leg: cbLeg, targets: cbTarget.targets, callerNumber: user.address,
                                   callerDisplayName: nil, sdpOffer: "sip-answer", headers: [])
        #expect(placed == [.placeCall(call)])
        #expect(machine.phase == "callback.ringing_phone")
    }

    @Test("the phone answers: its answer applied, ACK, then connect with the WebRTC offer")
    func phoneAnswers() {
        var (machine, _) = callback()
        _ = machine.handle(.outboundMediaOpened(session))
        let actions = machine.handle(.sip(cbLeg, .answered(sdp: "phone-answer", sipCallID: "cb-sip")))
        #expect(actions.contains(.setSIPRemote("phone-answer")))
        #expect(actions.contains(.acknowledge(cbLeg)))
        #expect(actions.contains(.cancelTimer(.ringTimeout)))
        #expect(actions.last == .connect(user: user, offer: "wa-offer"))
        #expect(machine.phase == "callback.connecting")
        #expect(machine.context.sipCallID == "cb-sip")
    }

    @Test("RINGING plays ringback; ACCEPTED, answer and ICE/DTLS in any order bridge")
    func bridges() {
        var machine = phoneAnswered()
        #expect(machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: nil))) == [.startRingback, .record(.ringing)])
        _ = machine.handle(.media(.connected))
        #expect(machine.handle(.webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: nil)))
            == [.startWhatsAppMedia(remoteAnswer: "meta-answer")])
        let actions = machine.handle(.webhook(.status(wacid: wacid, .accepted, opaque: nil)))
        #expect(actions.contains(.startBridging))
        #expect(actions.contains(.record(.answered)))
        #expect(machine.phase == "callback.connected")
    }

    @Test("the WhatsApp user rejects: the phone is hung up with a Reason")
    func rejected() {
        var machine = phoneAnswered()
        let actions = machine.handle(.webhook(.status(wacid: wacid, .rejected, opaque: nil)))
        #expect(actions.contains { if case .hangUp(cbLeg, let reason) = $0 { return reason?.cause == 603 }; return false })
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.ending?.reason == .rejected)
    }

    @Test("connect fails: the phone is hung up, mapped as outbound calls map it")
    func connectFails() {
        var (machine, _) = callback()
        _ = machine.handle(.outboundMediaOpened(session))
        _ = machine.handle(.sip(cbLeg, .answered(sdp: "a", sipCallID: nil)))
        let actions = machine.handle(.connectFailed(.graph(code: FailureMapping.noPermissionCode, httpStatus: 400, message: "no permission")))
        #expect(actions.contains { if case .hangUp(cbLeg, _) = $0 { return true }; return false })
        #expect(actions.contains(.invalidatePermission(user: user)))
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.isFinished)
    }

    @Test("BYE from the phone terminates the WhatsApp call; terminate from WhatsApp hangs up the phone")
    func hangUps() {
        var machine = bridged()
        let bye = machine.handle(.sip(cbLeg, .bye))
        #expect(bye.contains(.terminate(wacid)))
        #expect(!bye.contains { $0.endsSIPLeg })
        var other = bridged()
        let terminated = other.handle(.webhook(.terminate(wacid: wacid, completed: true, duration: 10, errors: [], opaque: nil)))
        #expect(terminated.contains(.hangUp(cbLeg, nil)))
        #expect(!terminated.contains { $0.endsWhatsAppLeg })
        #expect(other.ending?.reason == .normal)
    }

    @Test("BYE while connect is in flight: the wacid it returns is terminated")
    func byeDuringConnect() {
        var (machine, _) = callback()
        _ = machine.handle(.outboundMediaOpened(session))
        _ = machine.handle(.sip(cbLeg, .answered(sdp: "a", sipCallID: nil)))
        _ = machine.handle(.sip(cbLeg, .bye))
        #expect(!machine.isFinished)
        #expect(machine.handle(.connectSucceeded(wacid)).contains(.terminate(wacid)))
        #expect(machine.isFinished)
    }

    @Test("the phone is busy or does not answer: nothing reaches WhatsApp")
    func phoneFails() {
        var (busy, _) = callback()
        _ = busy.handle(.outboundMediaOpened(session))
        let actions = busy.handle(.sip(cbLeg, .failed(status: 486, reason: "Busy Here")))
        #expect(!actions.contains { if case .connect = $0 { return true }; return false })
        #expect(busy.ending?.sipStatus == 486)
        var (silent, _) = callback()
        _ = silent.handle(.outboundMediaOpened(session))
        let timeout = silent.handle(.timer(.ringTimeout))
        #expect(timeout.contains(.cancel(cbLeg, nil)))
        #expect(silent.ending?.reason == .noAnswer)
    }

    @Test("the WhatsApp user never answers: the answer guard hangs up both legs")
    func whatsAppNoAnswer() {
        var machine = phoneAnswered()
        let actions = machine.handle(.timer(.answerTimeout))
        #expect(actions.contains { if case .hangUp(cbLeg, let reason) = $0 { return reason?.cause == 480 }; return false })
        #expect(actions.contains(.terminate(wacid)))
    }

    @Test("DTMF from the bridged phone reaches WhatsApp; re-INVITE before the answer gets 491")
    func inDialog() {
        var machine = bridged()
        #expect(machine.handle(.sip(cbLeg, .dtmf(DTMFDigit("5")))) == [.sendMediaDTMF(DTMFDigit("5"), toward: .whatsApp)])
        var (ringing, _) = callback()
        _ = ringing.handle(.outboundMediaOpened(session))
        #expect(ringing.handle(.sip(cbLeg, .offered(sdp: "x"))) == [.respondInDialog(cbLeg, SIPResponse(status: 491, phrase: "Request Pending"))])
    }
}
