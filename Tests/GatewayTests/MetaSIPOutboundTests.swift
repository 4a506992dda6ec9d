// A phone's call to a WhatsApp user through a SIP-mode number: the INVITE to
// Meta's SIP servers, and Meta's answers as the phone hears them.

import CallControl
import Config
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: SIP-mode outbound calls")
struct MetaSIPOutboundTests {
    /// alice's call up to the INVITE to Meta: (phone handle, Meta handle, call id).
    func placed(_ harness: MetaSIPHarness) async throws -> (phone: SIPHandle, meta: SIPHandle, call: CallID) {
        let phone = await harness.phoneInvite()
        let meta = try #require(harness.metaInvite?.handle)
        let call = try #require(await harness.lastCall())
        return (phone, meta, call)
    }

    /// Meta's response on `handle`, then settle (the `connect` has returned by then).
    func respond(_ harness: MetaSIPHarness, _ handle: SIPHandle, _ status: Int, _ phrase: String = "",
                 sdp: String? = nil) async {
        await harness.frontEnd.handle(.inviteResponse(handle, status: status, phrase: phrase,
                                                      body: sdp.map { Array($0.utf8) } ?? [],
                                                      contentType: sdp == nil ? nil : "application/sdp",
                                                      callID: "c0ffee@wagate"))
        if status >= 300 {
            await harness.frontEnd.handle(.terminated(handle, status: status, phrase: phrase))
        }
        await harness.settle()
    }

    @Test("the INVITE goes to Meta over TLS with Meta's Request-URI, To, From, the credentials and the offer")
    func inviteShape() async throws {
        let harness = await MetaSIPHarness()
        let (_, _, call) = try await placed(harness)
        let invite = try #require(harness.metaInvite?.call)
        #expect(invite.requestURI == "sip:+447700900123@meta.test:5061;transport=tls")
        #expect(invite.to == "<sip:+447700900123@meta.test:5061;transport=tls>")
        #expect(invite.from == "<sip:15550100002@sip.example.com>")
        #expect(invite.credentials?.username == "15550100002" && invite.credentials?.password == "pw")
        #expect(invite.sdp == "wa-offer-\(call)")
        #expect(invite.metaNumber == "wa-sip")
        #expect(harness.journal.matching("wa.connect").isEmpty, "no Graph connect for a SIP-mode number")
        #expect(harness.journal.matching("wa.permission").count == 1, "permission is still Graph's")
    }

    @Test("180 rings the phone, 200 starts the media, and the phone gets 200 once ICE/DTLS is up; its BYE ends Meta's dialog")
    func answeredThenPhoneHangsUp() async throws {
        let harness = await MetaSIPHarness()
        let (phone, meta, call) = try await placed(harness)
        await respond(harness, meta, 180, "Ringing")
        #expect(harness.stack.responses(on: phone).map(\.status).contains(180))
        await respond(harness, meta, 200, "OK", sdp: "v=0 meta-answer")
        #expect(harness.journal.contains("media.startWhatsApp \(call)"))
        await harness.mediaEvent(.connected, call: call.rawValue)
        let final = try #require(harness.stack.responses(on: phone).last)
        #expect(final.status == 200 && final.sdp == "sip-answer-\(call)")
        await harness.event(.bye(phone))
        await harness.settle()
        #expect(harness.stack.byes == [meta])
        let ending = try #require(harness.records.endings(call).last)
        #expect(ending.endedBy == .sip && ending.reason == .normal)
        let start = harness.records.events(call).compactMap { if case .started(let start) = $0 { start } else { nil } }
        #expect(start.first?.direction == .outbound && start.first?.number == harness.sipNumber)
        #expect(harness.records.events(call).contains(.linkedWhatsApp(WACID("c0ffee@wagate"))))
    }

    @Test("Meta's BYE ends the phone's call; no terminate goes to Graph")
    func metaHangsUp() async throws {
        let harness = await MetaSIPHarness()
        let (phone, meta, call) = try await placed(harness)
        await respond(harness, meta, 200, "OK", sdp: "v=0 meta-answer")
        await harness.mediaEvent(.connected, call: call.rawValue)
        await harness.event(.bye(meta))
        await harness.settle()
        #expect(harness.stack.byes == [phone])
        #expect(harness.journal.matching("wa.terminate").isEmpty)
        let ending = try #require(harness.records.endings(call).last)
        #expect(ending.endedBy == .whatsApp)
    }

    @Test("the phone's CANCEL while Meta rings sends CANCEL to Meta")
    func phoneCancels() async throws {
        let harness = await MetaSIPHarness()
        let (phone, meta, call) = try await placed(harness)
        await respond(harness, meta, 180, "Ringing")
        await harness.event(.cancelled(phone))
        await harness.settle()
        #expect(harness.stack.cancels == [meta])
        #expect(harness.records.endings(call).last?.reason == .cancelled)
    }

    @Test("Meta's final answers before ringing reach the phone as Graph's connect errors would",
          arguments: [(486, 603), (603, 603), (403, 403), (404, 404), (480, 480), (408, 480), (503, 503), (407, 503)])
    func failures(meta status: Int, phone expected: Int) async throws {
        let harness = await MetaSIPHarness()
        let (phone, meta, call) = try await placed(harness)
        await respond(harness, meta, status, "Meta says no")
        let final = try #require(harness.stack.responses(on: phone).last)
        #expect(final.status == expected)
        #expect(harness.records.endings(call).last?.endedBy == .whatsApp)
        #expect(await harness.control.activeCallCount == 0)
        #expect(await harness.meta.dialogs.isEmpty, "the dialog left the table")
    }

    @Test("a failure after ringing ends the call with 480 and Meta's status in the Warning")
    func failureAfterRinging() async throws {
        let harness = await MetaSIPHarness()
        let (phone, meta, _) = try await placed(harness)
        await respond(harness, meta, 183, "Session Progress")
        await respond(harness, meta, 404, "Not Found")
        let final = try #require(harness.stack.responses(on: phone).last)
        #expect(final.status == 480)
        #expect(final.headers.contains { $0.hasPrefix("Warning:") && $0.contains("Meta SIP 404") })
    }

    @Test("a user known only by BSUID cannot be called in SIP mode: 404, nothing sent to Meta")
    func bsuidOnly() async throws {
        let harness = await MetaSIPHarness()
        let phone = await harness.phoneInvite("US.13491208655302741918")
        await harness.settle()
        #expect(harness.metaInvite == nil)
        #expect(harness.stack.responses(on: phone).last?.status == 404)
    }
}
