// /metrics series as the gateway counts them: call-level series through call
// control's records (composition over fakes), and each adapter's counters.

import CallControl
import Config
import Foundation
import Media
import Prometheus
import SIP
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway

/// The value of the exposition line `series` (name with its labels), if present.
func metricValue(_ metrics: GatewayMetrics, _ series: String) -> Double? {
    let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

@Suite("Gateway: call metrics through call control")
struct GatewayCallMetricsTests {
    let config = GatewayConfig.test()
    var number: String { config.numbers.first?.name ?? "other" }

    @Test("an answered outbound call: started, active while up, ended normal by SIP, setup time observed")
    func answeredCall() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let labels = #"direction="outbound",number="\#(number)""#
        #expect(metricValue(metrics, "wagate_calls_started_total{\(labels)}") == 0)
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        #expect(metricValue(metrics, "wagate_calls_started_total{\(labels)}") == 1)
        #expect(metricValue(metrics, "wagate_calls_active{\(labels)}") == 1)
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        #expect(metricValue(metrics, #"wagate_call_setup_seconds_count{direction="outbound"}"#) == 1)
        await harness.event(.bye(handle))
        #expect(metricValue(metrics, "wagate_calls_active{\(labels)}") == 0)
        let ended = #"wagate_calls_ended_total{direction="outbound",cause="normal",ended_by="sip",code="none"}"#
        #expect(metricValue(metrics, ended) == 1)
    }

    @Test("a Graph refusal ends the call with Meta's documented code as a label; an undocumented code is other")
    func refusedCalls() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let undeliverable = WhatsAppFailure.graph(code: 131026, httpStatus: 400, message: "undeliverable")
        harness.whatsApp.connectResult.withValue { $0 = .fail(undeliverable) }
        #expect(harness.stack.responses(on: await harness.invite("+14085551234")).last?.status == 404)
        harness.whatsApp.connectResult.withValue { $0 = .fail(.graph(code: 424_242, httpStatus: 400, message: "new")) }
        _ = await harness.invite("+14085551234")
        let ended = #"wagate_calls_ended_total{direction="outbound",cause="whatsapp_error",ended_by="whatsapp",code="#
        #expect(metricValue(metrics, ended + #""131026"}"#) == 1)
        #expect(metricValue(metrics, ended + #""other"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_calls_active{direction="outbound",number="\#(number)"}"#) == 0)
        #expect(metricValue(metrics, #"wagate_call_setup_seconds_count{direction="outbound"}"#) == 0)
    }
}

extension GatewayCallMetricsTests {
    @Test("an inbound call answered by the trunk, ended by the user: setup observed, ended by whatsapp; a busy one")
    func inboundCalls() async throws {
        let metrics = GatewayMetrics(config: config)
        let harness = await GatewayHarness(config: config, metrics: metrics)
        let wacid = WACID("wacid.in1")
        await harness.webhook(.userCall(wacid: wacid, caller: .phone("4930123456", name: "Zoe"), number: nil,
                                        offer: "meta-offer"))
        let invite = try #require(harness.stack.invites.first)
        #expect(metricValue(metrics, #"wagate_calls_active{direction="inbound",number="\#(number)"}"#) == 1)
        await harness.event(.inviteResponse(invite.handle, status: 200, phrase: "OK",
                                            body: Array("v=0 phone".utf8), contentType: "application/sdp"))
        #expect(metricValue(metrics, #"wagate_call_setup_seconds_count{direction="inbound"}"#) == 1)
        await harness.webhook(.terminate(wacid: wacid, completed: true, duration: 5, errors: [], opaque: nil))
        let ended = #"wagate_calls_ended_total{direction="inbound",cause="normal",ended_by="whatsapp",code="none"}"#
        #expect(metricValue(metrics, ended) == 1)

        await harness.webhook(.userCall(wacid: WACID("wacid.in2"), caller: .phone("4930123457", name: "Yann"),
                                        number: nil, offer: "meta-offer"))
        let second = try #require(harness.stack.invites.last)
        await harness.event(.inviteResponse(second.handle, status: 486, phrase: "Busy Here", body: [], contentType: nil))
        await harness.event(.terminated(second.handle, status: 486, phrase: "Busy Here"))
        #expect(metricValue(metrics, #"wagate_calls_started_total{direction="inbound",number="\#(number)"}"#) == 2)
        #expect(metricValue(metrics, #"wagate_calls_active{direction="inbound",number="\#(number)"}"#) == 0)
        #expect(metricValue(metrics, #"wagate_call_setup_seconds_count{direction="inbound"}"#) == 1)
        let busy = #"wagate_calls_ended_total{direction="inbound",cause="busy",ended_by="sip",code="none"}"#
        #expect(metricValue(metrics, busy) == 1)
    }
}

@Suite("Gateway: adapter metrics")
struct GatewayAdapterMetricsTests {
    let metrics = GatewayMetrics(config: .test())

    @Test("Graph requests by action and outcome, with a latency histogram per action")
    func graphRequests() {
        metrics.graphRequest("connect", failure: nil, took: .milliseconds(40))
        metrics.graphRequest("connect", failure: .timeout(outcomeUnknown: true), took: .seconds(5))
        metrics.graphRequest("accept", failure: .graph(code: 2, httpStatus: 500, message: "m"), took: .milliseconds(90))
        #expect(metricValue(metrics, #"wagate_graph_requests_total{action="connect",outcome="ok"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_graph_requests_total{action="connect",outcome="timeout"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_graph_requests_total{action="accept",outcome="graph_error"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_graph_request_duration_seconds_count{action="connect"}"#) == 2)
        #expect(metricValue(metrics, #"wagate_graph_request_duration_seconds_bucket{action="connect",le="0.05"}"#) == 1)
    }

    @Test("webhooks: received, verified, rejected by reason, duplicates per event; zero before any")
    func webhooks() {
        metrics.zeroSignalling()
        #expect(metricValue(metrics, #"wagate_webhooks_rejected_total{reason="bad_signature"}"#) == 0)
        for outcome in [WebhookOutcome.received, .verified, .received, .badSignature] {
            metrics.webhook(outcome, count: 1)
        }
        metrics.webhook(.duplicate, count: 3)
        #expect(metricValue(metrics, "wagate_webhooks_received_total") == 2)
        #expect(metricValue(metrics, "wagate_webhooks_verified_total") == 1)
        #expect(metricValue(metrics, #"wagate_webhooks_rejected_total{reason="bad_signature"}"#) == 1)
        #expect(metricValue(metrics, "wagate_webhook_events_duplicate_total") == 3)
    }

    @Test("SIP requests by method and direction, responses by method, class and direction, auth failures and lockouts")
    func sipTraffic() {
        metrics.zeroSignalling()
        metrics.sip(.request(method: "INVITE", direction: .in))
        metrics.sip(.request(method: "BYE", direction: .out))
        metrics.sip(.response(method: "INVITE", status: 486, direction: .in))
        metrics.sip(.response(method: "INVITE", status: 180, direction: .out))
        metrics.sip(.response(method: "BYE", status: 200, direction: .in))
        metrics.sip(.response(method: "BYE", status: 999, direction: .in))
        metrics.sip(.authFailure)
        metrics.sip(.lockout(scope: "source"))
        #expect(metricValue(metrics, #"wagate_sip_requests_total{method="INVITE",direction="in"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_sip_requests_total{method="INVITE",direction="out"}"#) == 0)
        #expect(metricValue(metrics, #"wagate_sip_requests_total{method="BYE",direction="out"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_sip_responses_total{method="INVITE",class="4xx",direction="in"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_sip_responses_total{method="INVITE",class="1xx",direction="out"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_sip_responses_total{method="BYE",class="2xx",direction="in"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_sip_responses_total{method="BYE",class="other",direction="in"}"#) == 1)
        #expect(metricValue(metrics, "wagate_sip_auth_failures_total") == 1)
        #expect(metricValue(metrics, #"wagate_sip_auth_lockouts_total{scope="source"}"#) == 1)
    }

    @Test("quality at call end: one observation per leg with media; a leg without packets is left out")
    func quality() {
        var figures = MediaBridgeStatistics()
        figures.sip.packetsReceived = 990
        figures.sip.packetsLost = 10
        figures.sip.jitterMs = 12
        figures.sip.roundTripMs = 80
        figures.sip.mos = 4.1
        metrics.mediaEnded(figures)
        #expect(metricValue(metrics, #"wagate_call_mos_count{leg="sip"}"#) == 1)
        #expect(metricValue(metrics, #"wagate_call_mos_sum{leg="sip"}"#) == 4.1)
        #expect(metricValue(metrics, #"wagate_call_loss_ratio_sum{leg="sip"}"#) == 0.01)
        #expect(metricValue(metrics, #"wagate_call_jitter_seconds_sum{leg="sip"}"#) == 0.012)
        #expect(metricValue(metrics, #"wagate_call_rtt_seconds_sum{leg="sip"}"#) == 0.08)
        #expect(metricValue(metrics, #"wagate_call_mos_count{leg="whatsapp"}"#) == 0)
    }

    @Test("WhatsApp-leg failures by stage and bounded reason")
    func mediaFailures() {
        #expect(GatewayMetrics.classify(mediaFailure: "DTLS failed: alert") == ("dtls", "handshake"))
        #expect(GatewayMetrics.classify(mediaFailure: "media setup timed out: ICE and DTLS") == ("ice", "timeout"))
        #expect(GatewayMetrics.classify(mediaFailure: "anything a peer says") == ("ice", "failed"))
        // ICE's own timeouts (no check answered, no pair by the deadline) are timeouts too.
        #expect(GatewayMetrics.classify(mediaFailure: "ICE failed: no connectivity check was answered (every check timed out)") == ("ice", "timeout"))
        #expect(GatewayMetrics.classify(mediaFailure: "ICE failed: no candidate pair selected before the connectivity timeout") == ("ice", "timeout"))
        #expect(GatewayMetrics.classify(mediaFailure: "ICE failed: every candidate pair failed its connectivity checks") == ("ice", "failed"))
        metrics.mediaSetupFailed("SRTP could not be keyed from DTLS")
        #expect(metricValue(metrics, #"wagate_media_setup_failures_total{stage="dtls",reason="srtp_keying"}"#) == 1)
    }

    @Test("RTP ports in use and free, sampled from the allocator")
    func ports() throws {
        let allocator = RTPPortAllocator(range: 20_000...20_019)
        _ = try #require(allocator.allocate())
        metrics.samplePorts(allocator)
        #expect(metricValue(metrics, "wagate_rtp_ports_in_use") == 1)
        #expect(metricValue(metrics, "wagate_rtp_ports_free") == 9)
    }

    @Test("Meta's code label: documented codes as themselves, others bounded")
    func codeLabels() {
        #expect(GatewayMetrics.codeLabel(nil) == "none")
        #expect(GatewayMetrics.codeLabel(131026) == "131026")
        #expect(GatewayMetrics.codeLabel(138021) == "138021")
        #expect(GatewayMetrics.codeLabel(-5) == "other")
    }
}
