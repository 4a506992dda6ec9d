// A SIP phone's call to a WhatsApp user through the adapter and call control.

import CallControl
import Config
import SIP
import Testing
import TestSupport

@Suite("Gateway: outbound calls")
struct OutboundCallTests {
    @Test("an answered outbound call sends 200 with the media answer, and BYE ends both legs")
    func answeredCall() async throws {
        let harness = await GatewayHarness()
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.status(wacid: id, .ringing, opaque: call))
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        let final = try #require(harness.stack.responses(on: handle).last)
        #expect(final.status == 200)
        #expect(final.sdp == "sip-answer-\(call)")
        await harness.event(.bye(handle))
        #expect(harness.journal.contains("wa.terminate \(id)"))
        #expect(harness.journal.contains("media.close \(call)"))
        #expect(await harness.control.activeCallCount == 0)
    }
}
