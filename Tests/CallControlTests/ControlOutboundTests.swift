// The CallControl actor driving outbound calls through fake ports.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl outbound")
struct ControlOutboundTests {
    @Test("C1 full outbound flow: permission, media, connect, 180, ICE before 200, bridge, BYE → terminate")
    func fullFlow() async throws {
        let h = Harness()
        let (leg, call, wacid) = await h.answeredOutbound()
        let j = h.journal
        #expect(j.contains("wa.permission +14085551234"))
        #expect(j.contains("wa.connect +14085551234 \(call)"))
        let startICE = try #require(j.index(of: "media.startWhatsApp \(call)"))
        let ok = try #require(j.index(of: "sip.respond \(leg) 200"))
        #expect(j.index(of: "sip.respond \(leg) 180")! < startICE)
        #expect(startICE < ok)
        #expect(ok < j.index(of: "media.bridge \(call)")!)
        await h.sipEvent(.bye, on: leg)
        #expect(j.contains("wa.terminate \(wacid)"))
        #expect(j.contains("media.close \(call)"))
        #expect(await h.activeCalls == 0)
        #expect(h.records.endings(CallID(call)) == [CallEnding(reason: .normal, endedBy: .sip)])
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("C2 every record of a call carries call_id, wacid and sip_call_id once known")
    func logContext() async {
        let h = Harness()
        let (_, call, wacid) = await h.answeredOutbound()
        let answered = h.records.events.current.first { $0.0 == CallID(call) && $0.1 == .answered }
        #expect(answered?.2 == CallLogContext(callID: CallID(call), wacid: wacid, sipCallID: "sip-call-1"))
        #expect(h.records.events(CallID(call)).contains(.linkedWhatsApp(wacid)))
    }

    @Test("C3 no permission → 403, no connect; permission request only when configured")
    func noPermission() async {
        let h = Harness(config: .test(sendPermissionRequest: true))
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        // The user wrote to the number: inside the window the interactive request goes out.
        await h.webhook(.userMessage(user: .phone("+14085551234"), number: nil, at: h.clock.now))
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status == 403)
        #expect(h.journal.count("wa.connect") == 0)
        #expect(h.journal.contains("wa.permissionRequest +14085551234"))
        #expect(await h.activeCalls == 0)
    }

    @Test("C4 permission cached: permanent asked once; no_permission asked every time")
    func permissionCache() async {
        let h = Harness()
        await h.invite(settle: true)
        await h.invite(settle: true)
        #expect(h.journal.count("wa.permission") == 1)
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        await h.invite("+14085559999", from: .user("bob"))
        await h.invite("+14085559999", from: .user("bob"))
        #expect(h.journal.count("wa.permission +14085559999") == 2)
    }

    @Test("C5 permission reply webhook fills the cache; 138006 on connect empties it")
    func permissionReplyAndRevocation() async {
        let h = Harness()
        await h.webhook(.permissionReply(user: .phone("+14085551234"), accepted: true, permanent: true, expiration: nil))
        h.whatsApp.connectResult.withValue { $0 = .fail(.graph(code: 138006, httpStatus: 401, message: "revoked")) }
        let leg = await h.invite()
        #expect(h.journal.count("wa.permission") == 0)
        #expect(h.sip.lastResponse(leg)?.status == 403)
        h.whatsApp.connectResult.withValue { $0 = .succeed }
        await h.invite()
        #expect(h.journal.count("wa.permission") == 1)
    }

    @Test("C6 Graph 5xx and timeouts on connect → 503, media closed, nothing dangling",
          arguments: [WhatsAppFailure.graph(code: 1, httpStatus: 500, message: "boom"), .timeout(outcomeUnknown: true),
                      .transport("reset")])
    func graphFailures(failure: WhatsAppFailure) async {
        let h = Harness()
        h.whatsApp.connectResult.withValue { $0 = .fail(failure) }
        let leg = await h.invite()
        #expect(h.sip.finals(leg).map(\.status) == [503])
        #expect(h.journal.count("media.close") == 1)
        #expect(await h.activeCalls == 0)
        #expect(await h.control.summaries().isEmpty)
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("C7 rate limit 138005 → 503 with Retry-After")
    func rateLimited() async {
        let h = Harness()
        h.whatsApp.connectResult.withValue {
            $0 = .fail(.graph(code: 138005, httpStatus: 429, message: "rate", retryAfter: .seconds(30)))
        }
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.retryAfter == 30)
    }

    @Test("C8 CANCEL while ringing → terminate + 487")
    func cancel() async {
        let h = Harness()
        let leg = await h.invite()
        let summary = await h.control.summaries()[0]
        await h.sipEvent(.cancelled, on: leg)
        #expect(h.sip.finals(leg).map(\.status) == [487])
        #expect(h.journal.contains("wa.terminate \(summary.context.wacid!)"))
        #expect(await h.activeCalls == 0)
    }

    @Test("C9 REJECTED → 603; terminate without answer → 480")
    func rejectedAndUnanswered() async {
        let h = Harness()
        let leg = await h.invite()
        let first = await h.control.summaries()[0].context
        await h.webhook(.status(wacid: first.wacid!, .rejected, opaque: first.callID.rawValue))
        await h.webhook(.terminate(wacid: first.wacid!, completed: false, duration: nil, errors: [], opaque: nil))
        #expect(h.sip.finals(leg).map(\.status) == [603])
        let leg2 = await h.invite()
        let second = await h.control.summaries()[0].context
        await h.webhook(.terminate(wacid: second.wacid!, completed: false, duration: nil, errors: [], opaque: nil))
        #expect(h.sip.finals(leg2).map(\.status) == [480])
        #expect(h.journal.count("wa.terminate") == 0)
    }

    @Test("C10 ringback mode → 183 with SDP and local ringback")
    func ringback() async {
        let h = Harness(config: .test(earlyMedia: .ringback))
        let leg = await h.invite()
        let context = await h.control.summaries()[0].context
        await h.webhook(.status(wacid: context.wacid!, .ringing, opaque: nil))
        #expect(h.sip.lastResponse(leg) == SIPResponse(status: 183, sdp: "sip-answer-\(context.callID)"))
        #expect(h.journal.contains("media.ringback \(context.callID)"))
    }

    @Test("C11 answer timeout on the mock clock → terminate + 480")
    func answerTimeout() async {
        let h = Harness()
        let leg = await h.invite()
        await h.advance(.seconds(89))
        #expect(h.sip.finals(leg).isEmpty)
        await h.advance(.seconds(1))
        #expect(h.sip.finals(leg).map(\.status) == [480])
        #expect(h.journal.count("wa.terminate") == 1)
    }

    @Test("C12 limits: per-user calls → 486; freed when a call ends")
    func userLimit() async {
        let h = Harness()
        await h.invite()
        await h.invite()
        let third = await h.invite()
        #expect(h.sip.lastResponse(third)?.status == 486)
        let first = await h.control.summaries()[0].context
        await h.sipEvent(.cancelled, on: SIPLegID("in1"))
        _ = first
        let fourth = await h.invite()
        #expect(h.sip.finals(fourth).isEmpty)
        #expect(h.records.endings(CallID("c-000003")).first?.reason == .limit)
    }

    @Test("C13 policy refusals answer at once and are recorded")
    func policy() async {
        let h = Harness()
        let leg = await h.invite("+19005550000")
        #expect(h.sip.lastResponse(leg)?.status == 403)
        #expect(h.journal.count("wa.") == 0)
        #expect(h.records.endings(CallID("c-000001")).first?.reason == .forbidden)
    }

    @Test("C14 DTMF by SIP INFO reaches the WhatsApp leg in-band")
    func dtmf() async {
        let h = Harness()
        let (leg, call, _) = await h.answeredOutbound()
        await h.sipEvent(.dtmf(DTMFDigit("7")), on: leg)
        await h.mediaEvent(.dtmf(DTMFDigit("9"), from: .whatsApp, relayed: false), call: call)
        #expect(h.journal.contains("media.dtmf \(call) whatsapp 7"))
        #expect(h.journal.contains("sip.info \(leg) 9"))
    }

    @Test("C15 media failure after answer → BYE + terminate")
    func mediaFailure() async {
        let h = Harness()
        let (leg, call, wacid) = await h.answeredOutbound()
        await h.mediaEvent(.rtpTimeout(.whatsApp), call: call)
        #expect(h.journal.contains("sip.bye \(leg)"))
        #expect(h.journal.contains("wa.terminate \(wacid)"))
    }
}
