// Several business numbers: which number an outgoing call uses, each number's
// inbound plan, per-number limits, and webhooks for numbers not configured.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

private let numbersConfig = GatewayConfig.twoNumbers

private func invite(_ dialled: String, from origin: SIPOrigin = .user("alice"), ppi: String? = nil,
                    pai: String? = nil) -> IncomingInvite {
    IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: dialled, sdpOffer: "o",
                   preferredIdentity: ppi, assertedIdentity: pai)
}

@Suite("Business number choice")
struct NumberChoiceTests {
    let admission = Admission(config: numbersConfig)

    private func chosen(_ invite: IncomingInvite) -> (String, String)? {
        guard case .success(let choice) = admission.chooseNumber(invite) else { return nil }
        return (choice.number.name, choice.dialled)
    }

    @Test("NC1 the caller's first number by default; without a numbers list only the first configured one")
    func defaults() throws {
        #expect(chosen(invite("+14085551234"))! == ("sales", "+14085551234"))
        #expect(chosen(invite("+14085551234", from: .trunk("pbx")))! == ("support", "+14085551234"))
        #expect(admission.allowedNumbers(.user("bob")).map(\.name) == ["sales"])
        let admitted = try admission.admit(invite("+14085551234"), activeCalls: 0, activeCallsByOwner: [:],
                                           draining: false).get()
        #expect(admitted.number == WhatsAppNumberID("111") && admitted.user.phone == "+14085551234")
    }

    @Test("NC2 a dial prefix picks its number and is stripped before the dial plan")
    func prefix() throws {
        #expect(chosen(invite("*2+14085551234"))! == ("support", "+14085551234"))
        let admitted = try admission.admit(invite("*20014085551234"), activeCalls: 0, activeCallsByOwner: [:],
                                           draining: false).get()
        #expect(admitted.number == WhatsAppNumberID("222") && admitted.user.phone == "+14085551234")
    }

    @Test("NC3 P-Preferred-Identity from anyone, P-Asserted-Identity from a trunk, name a business number")
    func identities() {
        #expect(chosen(invite("+14085551234", ppi: "<sip:+15550100001@wagate>"))?.0 == "support")
        #expect(chosen(invite("+14085551234", ppi: "\"Support\" <tel:+1-555-010-0001>"))?.0 == "support")
        #expect(chosen(invite("+14085551234", ppi: "<sip:15550100001@wagate;user=phone>"))?.0 == "support")
        #expect(chosen(invite("+14085551234", pai: "<sip:+15550100001@wagate>"))?.0 == "sales")
        #expect(chosen(invite("+14085551234", from: .trunk("pbx"), pai: "<sip:+15550100000@pbx>"))?.0 == "sales")
        // A PBX asserting its own extension names no business number: the default.
        #expect(chosen(invite("+14085551234", from: .trunk("pbx"), pai: "<sip:1001@pbx>"))?.0 == "support")
        // The prefix wins over a header.
        #expect(chosen(invite("*2+14085551234", ppi: "<sip:+15550100000@wagate>"))?.0 == "support")
    }

    @Test("NC4 a number the caller may not use → 403 with a Warning naming it")
    func notAllowed() {
        for request in [invite("*2+14085551234", from: .user("bob")),
                        invite("+14085551234", from: .user("bob"), ppi: "<sip:+15550100001@wagate>")] {
            guard case .failure(let refusal) = admission.admit(request, activeCalls: 0, activeCallsByOwner: [:],
                                                               draining: false) else {
                Issue.record("admitted")
                continue
            }
            #expect(refusal.response.status == 403)
            #expect(refusal.response.warning == "user:bob may not call from business number +15550100001 (support)")
        }
    }

    @Test("NC5 a number at its max_calls → 503 with Retry-After; inbound over it is refused as a limit")
    func numberLimit() {
        let result = admission.admit(invite("+14085551234"), activeCalls: 0, activeCallsByOwner: [:],
                                     activeCallsByNumber: [WhatsAppNumberID("111"): 1], draining: false)
        guard case .failure(let refusal) = result else { return #expect(Bool(false)) }
        #expect(refusal.response.status == 503 && refusal.response.retryAfter == Admission.numberLimitRetryAfter)
        #expect(refusal.response.warning == "business number +15550100000 call limit reached")
        let sales = numbersConfig.number(named: "sales")
        #expect(admission.admitInbound(activeCalls: 1, draining: false, number: sales, numberCalls: 1) == .limit)
        #expect(admission.admitInbound(activeCalls: 1, draining: false, number: sales, numberCalls: 0) == nil)
    }

    @Test("NC6 identity headers: user part of sip:, sips: and tel: URIs, + and digits only")
    func identityParsing() {
        #expect(Admission.identityNumbers("<sip:+15550100001@a>, <tel:+15550100000>") == ["+15550100001", "+15550100000"])
        #expect(Admission.identityNumbers("sips:alice@example.com") == [])
        #expect(Admission.identityNumbers("<sip:+1+2@a>") == [])
        #expect(Admission.identityNumbers(String(repeating: "1", count: 4000)) == [])
    }
}

@Suite("Business numbers in call control")
struct NumberControlTests {
    @Test("NB1 an outgoing call's Graph requests go through the chosen number")
    func outboundNumber() async {
        let h = Harness(config: numbersConfig)
        await h.invite("*2+14085551234")
        #expect(h.whatsApp.numbersUsed.current == ["connect 222"])
    }

    @Test("NB2 call_rate: a second connect in the window → 503 with Retry-After, counted")
    func callRate() async {
        let counters = NumberCounters(numberNames: ["sales", "support"])
        let h = Harness(config: numbersConfig, counters: counters)
        let first = await h.invite("+14085551234")
        #expect(h.sip.finals(first).isEmpty)
        let call = (await h.control.summaries()).last!.context
        await h.webhook(.terminate(wacid: call.wacid!, completed: false, duration: nil, errors: [],
                                   opaque: call.callID.rawValue))
        await h.clock.advance(by: .seconds(30))
        let second = await h.invite("+14085551235")
        let response = h.sip.lastResponse(second)
        #expect(response?.status == 503 && response?.retryAfter == 30)
        #expect(counters.refusals(number: "sales", limit: .rate) == 1)
        await h.clock.advance(by: .seconds(31))
        let third = await h.invite("+14085551236")
        #expect(h.sip.finals(third).isEmpty)
    }

    @Test("NB3 a user's call rings the called number's plan and is answered through that number")
    func inboundPlanByNumber() async {
        let h = Harness(config: numbersConfig)
        await h.webhook(.userCall(wacid: WACID("w.support"), caller: .phone("14085550001"),
                                  number: WhatsAppNumberID("222"), offer: "meta-offer"))
        #expect(h.journal.matching("sip.invite").first?.contains("bob@") == true)
        await h.webhook(.userCall(wacid: WACID("w.sales"), caller: .phone("14085550002"),
                                  number: WhatsAppNumberID("111"), offer: "meta-offer"))
        #expect(h.journal.matching("sip.invite").last?.contains("alice@") == true)
    }

    @Test("NB4 a webhook for a number not configured rings nothing, rejects nothing, and is counted")
    func unknownNumber() async {
        let counters = NumberCounters()
        let h = Harness(config: numbersConfig, counters: counters)
        await h.webhook(.userCall(wacid: WACID("w.other"), caller: .phone("14085550001"),
                                  number: WhatsAppNumberID("999"), offer: "meta-offer"))
        await h.control.handleWebhook(.terminate(wacid: WACID("w.other"), completed: false, duration: nil, errors: [],
                                                 opaque: nil), number: WhatsAppNumberID("999"))
        await h.settle()
        #expect(h.journal.matching("sip.invite").isEmpty && h.whatsApp.numbersUsed.current.isEmpty)
        #expect(await h.activeCalls == 0)
        #expect(counters.unknownNumberWebhooks == 2)
        #expect(String(decoding: counters.exposition(), as: UTF8.self)
            .contains("wagate_webhook_unknown_number_total 2\n"))
    }

    @Test("NB5 a user's call over its number's max_calls is rejected at Meta through that number")
    func inboundOverNumberLimit() async {
        let h = Harness(config: numbersConfig)
        await h.webhook(.userCall(wacid: WACID("w.1"), caller: .phone("14085550001"),
                                  number: WhatsAppNumberID("111"), offer: "meta-offer"))
        await h.webhook(.userCall(wacid: WACID("w.2"), caller: .phone("14085550002"),
                                  number: WhatsAppNumberID("111"), offer: "meta-offer"))
        #expect(h.whatsApp.numbersUsed.current.contains("reject 111"))
        #expect(h.journal.matching("sip.invite").count == 1)
    }

    @Test("NB7 a connect that answers after its call gave up is terminated through the call's number")
    func lateConnectNumber() async {
        var settings = CallSettings(config: numbersConfig)
        settings.setupBudget = .seconds(5)
        let h = Harness(config: numbersConfig, settings: settings)
        h.whatsApp.connectResult.withValue { $0 = .hold }
        let leg = await h.invite("*2+14085551234", settle: false)
        #expect(await eventually { h.whatsApp.heldCount == 1 })
        await h.clock.advance(by: .seconds(5))
        await h.control.waitUntilIdle(includingGraph: false)
        #expect(h.sip.lastResponse(leg)?.status == 503)
        h.whatsApp.release(.success(WACID("wacid.late")))
        await h.settle()
        #expect(h.whatsApp.numbersUsed.current == ["connect 222", "terminate 222"])
    }

    @Test("NB8 call permissions are cached per business number, as Meta grants them")
    func permissionsPerNumber() async {
        let h = Harness(config: numbersConfig)
        let first = await h.invite("+14085551234")
        let firstCall = (await h.control.summaries()).last!.context
        await h.sipEvent(.cancelled, on: first)
        await h.webhook(.terminate(wacid: firstCall.wacid!, completed: false, duration: nil, errors: [],
                                   opaque: firstCall.callID.rawValue))
        await h.invite("*2+14085551234")
        #expect(h.journal.matching("wa.permission").count == 2, "support asks Meta itself")
        await h.control.handleWebhook(.permissionReply(user: .phone("14085559999"), accepted: true, permanent: true,
                                                       expiration: nil), number: WhatsAppNumberID("222"))
        await h.clock.advance(by: .seconds(61))
        await h.invite("+14085559999")
        #expect(h.journal.matching("wa.permission").count == 3, "a reply to support grants nothing to sales")
    }

    @Test("NB6 crash recovery terminates each orphan through its recorded number")
    func orphanNumber() async {
        let h = Harness(config: numbersConfig)
        _ = await h.control.recoverOrphans([
            OrphanedCall(callID: CallID("old1"), direction: .inbound, wacid: WACID("w.a"), sipCallID: nil,
                         number: WhatsAppNumberID("222")),
            OrphanedCall(callID: CallID("old2"), direction: .inbound, wacid: WACID("w.b"), sipCallID: nil),
        ])
        #expect(h.whatsApp.numbersUsed.current == ["terminate 222", "terminate 111"])
    }
}
