// A WhatsApp user's call to a SIP-mode number: Meta's INVITE rings the inbound
// plan, and call control's pre_accept, accept, reject and terminate become the
// responses and requests Meta's dialog expects.

import CallControl
import Config
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: SIP-mode inbound calls")
struct MetaSIPInboundTests {
    /// Meta's call up to alice's phone ringing: (Meta handle, alice's fork, call id).
    func ringing(_ harness: MetaSIPHarness, offers100rel: Bool = true) async throws
        -> (meta: SIPHandle, fork: SIPHandle, call: CallID) {
        harness.registerAlice()
        let meta = await harness.metaCall(offers100rel: offers100rel)
        await harness.settle()
        let fork = try #require(harness.stack.invites.last?.handle)
        let call = try #require(await harness.lastCall())
        await harness.event(.inviteResponse(fork, status: 180, phrase: "Ringing", body: [], contentType: nil,
                                            callID: "alice-leg@wagate"))
        await harness.settle()
        return (meta, fork, call)
    }

    func answer(_ harness: MetaSIPHarness, _ fork: SIPHandle, _ call: CallID) async {
        await harness.event(.inviteResponse(fork, status: 200, phrase: "OK", body: Array("v=0 alice".utf8),
                                            contentType: "application/sdp", callID: "alice-leg@wagate"))
        await harness.mediaEvent(.connected, call: call.rawValue)
        await harness.settle()
    }

    @Test("Meta's INVITE rings the inbound plan, gets a reliable 183 with the answer, then 200 with the same SDP")
    func answered() async throws {
        let harness = await MetaSIPHarness()
        let (meta, fork, call) = try await ringing(harness)
        #expect(harness.stack.invites.last?.call.requestURI.hasPrefix("sip:alice@192.0.2.60") == true)
        let early = try #require(harness.stack.responses(on: meta).first { $0.status == 183 })
        #expect(early.sdp == "wa-answer-\(call)")
        #expect(early.headers.contains("Require: 100rel"))
        await answer(harness, fork, call)
        let final = try #require(harness.stack.responses(on: meta).last)
        #expect(final.status == 200 && final.sdp == "wa-answer-\(call)")
        let start = harness.records.events(call).compactMap { if case .started(let start) = $0 { start } else { nil } }
        #expect(start.first?.direction == .inbound && start.first?.number == harness.sipNumber)
        #expect(start.first?.wacid == WACID("wacid.META1"))
        #expect(start.first?.user?.phone == "+447700900123")
        #expect(harness.journal.matching("wa.").allSatisfy { !$0.hasPrefix("wa.preAccept") && !$0.hasPrefix("wa.accept") },
                "nothing went to Graph")
    }

    @Test("without 100rel in Meta's INVITE the 183 is unreliable")
    func unreliable183() async throws {
        let harness = await MetaSIPHarness()
        let (meta, _, _) = try await ringing(harness, offers100rel: false)
        let early = try #require(harness.stack.responses(on: meta).first { $0.status == 183 })
        #expect(!early.headers.contains("Require: 100rel"))
    }

    @Test("alice's BYE ends Meta's dialog with BYE; Meta's BYE ends alice's")
    func byeEachWay() async throws {
        let harness = await MetaSIPHarness()
        var (meta, fork, call) = try await ringing(harness)
        await answer(harness, fork, call)
        await harness.event(.bye(fork))
        await harness.settle()
        #expect(harness.stack.byes == [meta])
        #expect(harness.records.endings(call).last?.endedBy == .sip)

        let second = await MetaSIPHarness()
        (meta, fork, call) = try await ringing(second)
        await answer(second, fork, call)
        await second.event(.bye(meta))
        await second.settle()
        #expect(second.stack.byes == [fork])
        #expect(second.records.endings(call).last?.endedBy == .whatsApp)
        #expect(await second.meta.dialogs.count == 1, "the entry stays until the stack frees the dialog")
        await second.event(.terminated(meta, status: 200, phrase: "OK"))
        #expect(await second.meta.dialogs.isEmpty)
    }

    @Test("Meta's CANCEL stops alice's phone ringing")
    func metaCancels() async throws {
        let harness = await MetaSIPHarness()
        let (meta, fork, call) = try await ringing(harness)
        await harness.event(.cancelled(meta))
        await harness.settle()
        #expect(harness.stack.cancels == [fork])
        #expect(harness.records.endings(call).last?.reason == .cancelled)
    }

    @Test("nobody answering declines Meta's INVITE with 603")
    func rejected() async throws {
        let harness = await MetaSIPHarness()
        let (meta, fork, _) = try await ringing(harness)
        await harness.event(.inviteResponse(fork, status: 486, phrase: "Busy Here", body: [], contentType: nil))
        await harness.event(.terminated(fork, status: 486, phrase: "Busy Here"))
        await harness.settle()
        #expect(harness.stack.responses(on: meta).last?.status == 603)
    }

    @Test("a caller that is not an E.164 number is refused 404 and nothing rings")
    func notE164() async throws {
        let harness = await MetaSIPHarness()
        harness.registerAlice()
        let meta = await harness.metaCall(from: "anonymous")
        await harness.settle()
        #expect(harness.stack.responses(on: meta).map(\.status) == [404])
        #expect(harness.stack.invites.isEmpty)
    }

    @Test("a wacid header that is not a plain token is not used: the Call-ID is")
    func unsafeWACID() async throws {
        let harness = await MetaSIPHarness()
        harness.registerAlice()
        _ = await harness.metaCall(wacid: "wacid\r\nX: 1", callID: "outgoing:wacid.SAFE")
        await harness.settle()
        #expect(await harness.control.summaries().last?.context.wacid == WACID("outgoing:wacid.SAFE"))
    }

    @Test("a re-INVITE from Meta is answered with the unchanged SDP; an UPDATE with 200")
    func inDialogOffers() async throws {
        let harness = await MetaSIPHarness()
        let (meta, fork, call) = try await ringing(harness)
        await answer(harness, fork, call)
        let reinvite = SIPRequest(method: "INVITE", requestURI: "sip:gw", requestUser: "", callID: "x",
                                  body: Array("v=0 meta-again".utf8),
                                  source: SIPSource(host: "203.0.113.7", port: 5061, transport: "tls"))
        await harness.event(.reinvite(meta, reinvite))
        #expect(harness.stack.responses(on: meta).last?.sdp == "wa-answer-\(call)")
        var update = reinvite
        update.method = "UPDATE"
        update.body = []
        await harness.event(.update(meta, update))
        let last = try #require(harness.stack.responses(on: meta).last)
        #expect(last.status == 200 && last.sdp == nil)
        #expect(harness.journal.matching("media.renegotiate").isEmpty)
    }

    @Test("calls webhooks for a SIP-mode number are ignored and counted; messages still apply")
    func webhooksIgnored() async throws {
        let counters = NumberCounters()
        let harness = await MetaSIPHarness(counters: counters)
        harness.registerAlice()
        let user = WhatsAppUser(phone: "+447700900123")
        await harness.control.handleWebhook(.userCall(wacid: WACID("wacid.hook"), caller: user,
                                                      number: harness.sipNumber, offer: "o"),
                                            number: harness.sipNumber)
        await harness.control.handleWebhook(.terminate(wacid: WACID("wacid.hook"), completed: false, duration: nil,
                                                       errors: [], opaque: nil), number: harness.sipNumber)
        await harness.settle()
        #expect(harness.stack.invites.isEmpty)
        #expect(counters.sipModeCallWebhooks == 2)
        await harness.control.handleWebhook(.userMessage(user: user, number: harness.sipNumber, at: nil),
                                            number: harness.sipNumber)
        #expect(counters.sipModeCallWebhooks == 2)
    }

    @Test("crash recovery ends a SIP-mode orphan without a Graph terminate")
    func orphan() async throws {
        let harness = await MetaSIPHarness()
        let orphan = OrphanedCall(callID: CallID("old"), direction: .inbound, wacid: WACID("wacid.old"),
                                  sipCallID: "phone-leg", number: harness.sipNumber)
        let report = await harness.control.recoverOrphans([orphan])
        #expect(harness.journal.matching("wa.terminate").isEmpty)
        #expect(report.failed.isEmpty)
        #expect(harness.records.endings(CallID("old")).last?.reason == .recovered)
    }
}
