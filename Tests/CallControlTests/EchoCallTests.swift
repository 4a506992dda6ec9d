// The echo test as a call of call control: admission, ringing, CANCEL, RTP
// timeout, drain and records.

@testable import CallControl
import Config
import Foundation
import Testing
import TestSupport

extension Harness {
    /// Sends an INVITE to the echo test from `origin` and waits until everything settles.
    @discardableResult
    func echoInvite(from origin: SIPOrigin = .user("alice"), number: Int) async -> SIPLegID {
        let leg = SIPLegID("echo\(number)")
        await control.handleEchoInvite(IncomingInvite(leg: leg, sipCallID: "echo-call-\(number)", origin: origin,
                                                      dialled: "*43", sdpOffer: "phone-offer"))
        await settle()
        return leg
    }
}

@Suite("Echo test calls")
struct EchoCallTests {
    @Test("E1 answered at once with the echo media's SDP; recorded with direction echo")
    func answered() async {
        let h = Harness()
        let leg = await h.echoInvite(number: 1)
        #expect(h.sip.lastResponse(leg)?.status == 200)
        #expect(h.sip.lastResponse(leg)?.sdp == "echo-answer-c-000001")
        let events = h.records.events(CallID("c-000001"))
        guard case .started(let start) = events.first else {
            Issue.record("no start record")
            return
        }
        #expect(start.direction == .echo)
        #expect(events.contains(.answered))
        #expect(await h.activeCalls == 1)
    }

    @Test("E2 the user's max_calls counts echo calls: the third of alice's gets 486, and it mixes with real calls")
    func userLimit() async {
        let h = Harness()
        await h.echoInvite(number: 1)
        await h.invite()
        let third = await h.echoInvite(number: 3)
        #expect(h.sip.lastResponse(third)?.status == 486)
        #expect(h.records.endings(CallID("c-000003")).first?.reason == .limit)
        let bobs = await h.echoInvite(from: .user("bob"), number: 4)
        #expect(h.sip.lastResponse(bobs)?.status == 200)
        #expect(h.journal.count("echo.open") == 2)
    }

    @Test("E3 the gateway-wide max_calls counts echo calls: 503")
    func gatewayLimit() async {
        let h = Harness(config: .test(maxCalls: 1))
        await h.echoInvite(number: 1)
        let second = await h.echoInvite(from: .user("bob"), number: 2)
        #expect(h.sip.lastResponse(second)?.status == 503)
        let real = await h.invite(from: .user("bob"))
        #expect(h.sip.lastResponse(real)?.status == 503)
    }

    @Test("E4 BYE from the phone ends the call and frees its place")
    func bye() async {
        let h = Harness()
        let leg = await h.echoInvite(number: 1)
        await h.sipEvent(.bye, on: leg)
        #expect(h.journal.contains("echo.close c-000001"))
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .normal)
        #expect(await h.activeCalls == 0)
    }

    @Test("E5 echo_answer_delay rings first; CANCEL meanwhile gets 487 and no 200")
    func ringingAndCancel() async {
        var settings = CallSettings()
        settings.echoAnswerDelay = .seconds(3)
        let h = Harness(settings: settings)
        let leg = await h.echoInvite(number: 1)
        #expect(h.sip.lastResponse(leg)?.status == 180)
        await h.sipEvent(.cancelled, on: leg)
        #expect(h.sip.lastResponse(leg)?.status == 487)
        await h.advance(.seconds(5))
        #expect(h.sip.finals(leg).map(\.status) == [487])
        #expect(h.journal.contains("echo.close c-000001"))

        let second = await h.echoInvite(number: 2)
        await h.advance(.seconds(3))
        #expect(h.sip.lastResponse(second)?.status == 200)
    }

    @Test("E6 no RTP from the phone: BYE, recorded as a media failure")
    func rtpTimeout() async {
        let h = Harness()
        let leg = await h.echoInvite(number: 1)
        await h.mediaEvent(.rtpTimeout(.sip), call: "c-000001")
        #expect(h.journal.contains("sip.bye \(leg)"))
        #expect(h.journal.contains("echo.close c-000001"))
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .mediaFailure)
        #expect(await h.activeCalls == 0)
    }

    @Test("E7 draining refuses new echo calls with 503; drain time over ends answered ones with BYE")
    func drain() async {
        let h = Harness()
        let leg = await h.echoInvite(number: 1)
        let control = h.control
        let drained = Task { await control.drain(drainTime: .seconds(30)) }
        while !(await control.isDraining) { await Task.yield() }
        let refused = await h.echoInvite(number: 2)
        #expect(h.sip.lastResponse(refused)?.status == 503)
        await h.clock.advance(by: .seconds(31))
        await drained.value
        #expect(h.journal.contains("sip.bye \(leg)"))
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .shutdown)
    }

    @Test("E8 an offer the echo media cannot answer gets 488")
    func incompatible() async {
        let h = Harness()
        h.echo.failure.withValue { $0 = MediaFailure(.incompatibleSDP, "no G.711") }
        let leg = await h.echoInvite(number: 1)
        #expect(h.sip.lastResponse(leg)?.status == 488)
        #expect(await h.activeCalls == 0)
    }
}
