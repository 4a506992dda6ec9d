// What a shutdown's drain timeout records: a call the phone had answered got a
// BYE, so its row says `shutdown` by the gateway with no SIP status; a call
// still being set up was refused with 503, and its row keeps that 503. The
// `wagate_calls_ended_total` labels follow the same ending.

import CallControl
import Config
import Foundation
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: calls ended by shutdown")
struct ShutdownRecordTests {
    let config = GatewayConfig.test()

    /// The one ending recorded for `call`.
    private func ending(_ harness: GatewayHarness, _ call: String) throws -> CallEnding {
        let endings = harness.records.endings(CallID(call))
        #expect(endings.count == 1)
        return try #require(endings.first)
    }

    @Test("an answered outbound call ended by the drain timeout: BYE, shutdown by gateway, no SIP status")
    func answeredOutbound() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        #expect(harness.stack.responses(on: handle).last?.status == 200)

        await harness.control.endAllCalls()
        await harness.settle()

        #expect(harness.stack.byes == [handle])
        #expect(harness.stack.responses(on: handle).map(\.status).allSatisfy { $0 < 300 })
        let ending = try ending(harness, call)
        #expect(ending.reason == .shutdown)
        #expect(ending.endedBy == .gateway)
        #expect(ending.sipStatus == nil)
        let ended = #"wagate_calls_ended_total{direction="outbound",cause="shutdown",ended_by="gateway",code="none"}"#
        #expect(metricValue(metrics, ended) == 1)
    }

    @Test("an answered inbound call ended by the drain timeout: BYE to the phone, shutdown by gateway, no SIP status")
    func answeredInbound() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let wacid = WACID("wacid.in1")
        await harness.webhook(.userCall(wacid: wacid, caller: .phone("4930123456", name: "Zoe"), number: nil,
                                        offer: "meta-offer"))
        let invite = try #require(harness.stack.invites.first)
        await harness.event(.inviteResponse(invite.handle, status: 200, phrase: "OK",
                                            body: Array("v=0 phone".utf8), contentType: "application/sdp"))
        let (call, _) = try #require(await harness.lastCall())

        await harness.control.endAllCalls()
        await harness.settle()

        #expect(harness.stack.byes == [invite.handle])
        #expect(harness.journal.contains("wa.terminate \(wacid)"))
        let ending = try ending(harness, call)
        #expect(ending.reason == .shutdown)
        #expect(ending.endedBy == .gateway)
        #expect(ending.sipStatus == nil)
        let ended = #"wagate_calls_ended_total{direction="inbound",cause="shutdown",ended_by="gateway",code="none"}"#
        #expect(metricValue(metrics, ended) == 1)
    }

    @Test("an outbound call still in setup when the drain time is over is refused with 503, and keeps it")
    func unansweredOutbound() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let handle = await harness.invite("+14085551234")
        let (call, _) = try #require(await harness.lastCall())

        await harness.control.endAllCalls()
        await harness.settle()

        #expect(harness.stack.responses(on: handle).last?.status == 503)
        #expect(harness.stack.byes.isEmpty)
        let ending = try ending(harness, call)
        #expect(ending.reason == .shutdown)
        #expect(ending.endedBy == .gateway)
        #expect(ending.sipStatus == 503)
        let ended = #"wagate_calls_ended_total{direction="outbound",cause="shutdown",ended_by="gateway",code="none"}"#
        #expect(metricValue(metrics, ended) == 1)
    }
}
