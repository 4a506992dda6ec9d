// SDP offer/answer through call control: a late offer's answer in the ACK
// reaches media, and a re-INVITE or UPDATE is answered on the wire with what
// media negotiated, for bridged and echo calls alike.

import CallControl
import Config
import SIP
import TestSupport
import Testing
@testable import Gateway

extension GatewayHarness {
    /// Drives an outbound call to the answered state and returns its handle and call id.
    func answeredOutboundCall(sdp: String? = "v=0 phone-offer") async throws -> (SIPHandle, String) {
        let handle = await invite("+14085551234", sdp: sdp)
        let (call, wacid) = try #require(await lastCall())
        let id = try #require(wacid)
        await webhook(.status(wacid: id, .ringing, opaque: call))
        await webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await webhook(.status(wacid: id, .accepted, opaque: call))
        await mediaEvent(.connected, call: call)
        return (handle, call)
    }

    /// An in-dialog request on `handle` with `sdp` as its body.
    static func inDialog(_ method: String, sdp: String?) -> SIPRequest {
        SIPRequest(method: method, requestURI: "sip:gw", requestUser: "", callID: "dialog",
                   body: sdp.map { Array($0.utf8) } ?? [],
                   source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
    }
}

@Suite("Gateway: SDP negotiation")
struct NegotiationTests {
    @Test("late offer: the 200 carries media's offer and the SDP in the ACK reaches media")
    func lateOffer() async throws {
        let harness = await GatewayHarness()
        let (handle, call) = try await harness.answeredOutboundCall(sdp: nil)
        let final = try #require(harness.stack.responses(on: handle).last)
        #expect(final.status == 200)
        #expect(final.sdp == "sip-answer-\(call)")
        await harness.event(.acknowledged(handle, body: Array("v=0 late-answer".utf8)))
        #expect(harness.journal.contains("media.setSIPRemote \(call) v=0 late-answer"))
    }

    @Test("re-INVITE with a codec change: the 200 on the wire carries media's answer")
    func reinviteCodecChange() async throws {
        let harness = await GatewayHarness()
        let (handle, call) = try await harness.answeredOutboundCall()
        let before = harness.stack.responses(on: handle).count
        await harness.event(.reinvite(handle, GatewayHarness.inDialog("INVITE", sdp: "v=0 pcma-offer")))
        let responses = harness.stack.responses(on: handle)
        #expect(responses.count == before + 1)
        #expect(responses.last?.status == 200)
        #expect(responses.last?.sdp == "media-answer-\(call) v=0 pcma-offer")
    }

    @Test("UPDATE that media cannot answer gets 488 with a Warning")
    func updateRejected() async throws {
        let harness = await GatewayHarness()
        let (handle, _) = try await harness.answeredOutboundCall()
        harness.media.failRenegotiation.withValue { $0 = MediaFailure(.incompatibleSDP, "no common codec") }
        await harness.event(.update(handle, GatewayHarness.inDialog("UPDATE", sdp: "v=0 g729-offer")))
        let last = try #require(harness.stack.responses(on: handle).last)
        #expect(last.status == 488)
        #expect(last.headers.contains { $0.hasPrefix("Warning: 399 wagate") && $0.contains("no common codec") })
    }

    @Test("re-INVITE of an echo call is answered by the echo media")
    func echoReinvite() async throws {
        var config = GatewayConfig.test()
        config.general.echoExtension = "*43"
        let harness = await GatewayHarness(config: config)
        let handle = await harness.echoInvite()
        let (call, _) = try #require(await harness.lastCall())
        #expect(harness.stack.responses(on: handle).last?.status == 200)
        await harness.event(.reinvite(handle, GatewayHarness.inDialog("INVITE", sdp: "v=0 hold-offer")))
        let last = try #require(harness.stack.responses(on: handle).last)
        #expect(last.status == 200)
        #expect(last.sdp == "echo-reanswer-\(call) v=0 hold-offer")
    }

    @Test("an in-dialog offer on a leg no call owns is refused with 481, not left pending")
    func strayReinvite() async throws {
        let harness = await GatewayHarness()
        let (handle, _) = try await harness.answeredOutboundCall()
        await harness.event(.bye(handle))
        await harness.event(.reinvite(handle, GatewayHarness.inDialog("INVITE", sdp: "v=0 late")))
        #expect(harness.stack.responses(on: handle).last?.status == 481)
    }

    @Test("a WhatsApp user's call: a re-INVITE from the answering trunk is answered on the winning fork")
    func inboundReinvite() async throws {
        let harness = await GatewayHarness()
        await harness.webhook(.userCall(wacid: WACID("wacid.in"), caller: .phone("+4930123456"), number: nil,
                                        offer: "meta-offer"))
        let fork = try #require(harness.stack.invites.first?.handle)
        await harness.event(.inviteResponse(fork, status: 200, phrase: "OK", body: Array("v=0 trunk-answer".utf8),
                                            contentType: "application/sdp"))
        let (call, _) = try #require(await harness.lastCall())
        #expect(harness.journal.contains("media.setSIPRemote \(call) v=0 trunk-answer"))
        await harness.event(.reinvite(fork, GatewayHarness.inDialog("INVITE", sdp: "v=0 trunk-reoffer")))
        let last = try #require(harness.stack.responses(on: fork).last)
        #expect(last.status == 200)
        #expect(last.sdp == "media-answer-\(call) v=0 trunk-reoffer")
    }
}
