// Complete CDRs through the composition: a refused INVITE records the number
// it would have gone through and the calling user behind the trunk; call
// control's steps and the media bridge's figures land in one row through
// `StoreCallRecords`, in either order.

import CallControl
import Config
import Foundation
import Logging
import Media
import Store
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway
@testable import SIP

@Suite("Gateway: complete call records")
struct CompleteCallRecordTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Replays what call control recorded into a real store, as the gateway wires it.
    private func replay(_ fake: FakeRecords, into records: StoreCallRecords) async {
        for (call, event, context) in fake.events.current {
            await records.record(event, call: call, at: Date(timeIntervalSince1970: 1_800_000_000), context: context)
        }
    }

    @Test("a refused INVITE records the number it chose (not the default) and the From user")
    func refusedCallRecordsItsNumber() async throws {
        let harness = await GatewayHarness(config: .twoNumbers)
        await harness.control.beginDrain()
        var request = SIPRequest(
            method: "INVITE", requestURI: "sip:+14085551234@gw", requestUser: "+14085551234", fromUser: "1001",
            callID: "refused-call", body: Array("v=0 phone-offer".utf8),
            source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
        request.preferredIdentity = "<sip:+15550100001@gw>"
        await harness.signaling.incomingCall(harness.stack.makeHandle(), .user("alice"), request)
        await harness.settle()

        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        await replay(harness.records, into: StoreCallRecords(store: store, logger: quiet))
        let row = try #require(try await store.calls(matching: CallQuery()).first)
        #expect(row.phoneNumberID == "222")
        #expect(row.sipFromUser == "1001" && row.sipParty == "user:alice")
        #expect(row.sipStatus == 503 && row.endedBy == "gateway" && row.endReason != nil)
        #expect(try await store.calls(matching: CallQuery(caller: "1001", failedOnly: true)).count == 1)
        try await store.close()
    }

    @Test("codecs, both legs' figures and the recording land in the row, before or after the end step")
    func mediaFiguresLandInTheRow() async throws {
        var statistics = MediaBridgeStatistics()
        statistics.sip.codec = "PCMU"
        statistics.sip.packetsSent = 250
        statistics.sip.packetsReceived = 248
        statistics.sip.packetsLost = 2
        statistics.sip.jitterMs = 1.234
        statistics.sip.roundTripMs = 12.5
        statistics.sip.mos = 4.31
        statistics.whatsapp.codec = "opus"
        statistics.whatsapp.packetsSent = 249
        statistics.whatsapp.packetsReceived = 250
        statistics.whatsapp.roundTripMs = 40
        statistics.whatsapp.mos = 4.4
        statistics.recordingPath = "/var/lib/wagate/recordings/c-1.wav"
        for mediaFirst in [true, false] {
            let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
            let records = StoreCallRecords(store: store, logger: quiet)
            let call = CallID("wg-1"), context = CallLogContext(callID: call), t0 = Date()
            let start = CallStart(direction: .outbound, from: "trunk:pbx", to: "+447700900123", sipCallID: "s1",
                                  number: WhatsAppNumberID("111"), sipFromUser: "1001")
            await records.record(.started(start), call: call, at: t0, context: context)
            await records.record(.permission("permanent"), call: call, at: t0, context: context)
            await records.record(.answered, call: call, at: t0, context: context)
            let ending = CallEnding(reason: .whatsAppError, endedBy: .whatsApp, sipStatus: 480, whatsAppCode: 131000,
                                    fbtraceID: "AbCdEf123")
            if mediaFirst { await records.recordMedia(statistics, call: call) }
            await records.record(.ended(ending), call: call, at: t0.addingTimeInterval(5), context: context)
            if !mediaFirst { await records.recordMedia(statistics, call: call) }
            let row = try #require(try await store.call(id: "wg-1"))
            #expect(row.sipCodec == "PCMU" && row.whatsappCodec == "opus")
            #expect(row.sipQuality == CallLegQuality(packetsSent: 250, packetsReceived: 248, packetsLost: 2,
                                                     jitterMs: 1.23, roundTripMs: 12.5, mos: 4.31))
            #expect(row.whatsappQuality.packetsSent == 249 && row.whatsappQuality.mos == 4.4)
            #expect(row.recordingPath == "/var/lib/wagate/recordings/c-1.wav")
            #expect(row.permissionState == "permanent" && row.sipFromUser == "1001" && row.sipParty == "trunk:pbx")
            #expect(row.endReason == "whatsapp_error" && row.sipStatus == 480 && row.metaErrorCode == 131000)
            #expect(row.endedBy == "whatsapp" && row.phoneNumberID == "111" && row.fbtraceID == "AbCdEf123")
            try await store.close()
        }
    }

    @Test("a Graph error's fbtrace_id reaches call control's failure")
    func graphFailureCarriesTheTraceID() {
        let error = WhatsAppCloudError.graph(GraphError(code: 131000, httpStatus: 500, message: "Something went wrong",
                                                        fbtraceID: "AbCdEf123"))
        #expect(GraphWhatsAppCalling.failure(error).fbtraceID == "AbCdEf123")
        #expect(GraphWhatsAppCalling.failure(error).graphCode == 131000)
    }
}
