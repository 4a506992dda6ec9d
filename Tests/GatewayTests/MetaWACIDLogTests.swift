// Meta's own wacid on a business-initiated SIP-mode call: Meta's response to
// our INVITE carries `x-wa-meta-wacid`; it is logged once beside our wacid.

import CallControl
import Logging
import SIP
import Testing
@testable import Gateway

@Suite("Gateway: Meta's wacid on SIP-mode outbound calls")
struct MetaWACIDLogTests {
    /// Meta's response on `handle`, carrying `metaWACID`.
    func respond(_ harness: MetaSIPHarness, _ handle: SIPHandle, _ status: Int, metaWACID: String?,
                 sdp: String? = nil) async {
        await harness.frontEnd.handle(.inviteResponse(handle, status: status, phrase: "", body: sdp.map { Array($0.utf8) } ?? [],
                                                      contentType: sdp == nil ? nil : "application/sdp",
                                                      callID: "c0ffee@wagate", metaWACID: metaWACID))
        await harness.settle()
    }

    func lines(_ events: EventBox) -> [Logger.Metadata] {
        events.events.filter { $0.message == "Meta's wacid for the call" }.map(\.metadata)
    }

    @Test("the first response's x-wa-meta-wacid is logged once with call_id, wacid, meta_wacid and sip_call_id")
    func loggedOnceBesideOurs() async throws {
        let events = EventBox()
        let harness = await MetaSIPHarness(logger: Logger(label: "meta") { _ in CapturingHandler(box: events) })
        let phone = await harness.phoneInvite()
        let meta = try #require(harness.metaInvite?.handle)
        let call = try #require(await harness.lastCall())
        await respond(harness, meta, 180, metaWACID: "wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI")
        await respond(harness, meta, 183, metaWACID: "wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI")
        await respond(harness, meta, 200, metaWACID: "wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI", sdp: "v=0 meta-answer")
        let logged = lines(events)
        #expect(logged.count == 1, "one line per call: \(logged)")
        let line = try #require(logged.first)
        #expect(line["meta_wacid"] == "wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI")
        #expect(line["wacid"] == "c0ffee@wagate", "our wacid, made from the Call-ID")
        #expect(line["sip_call_id"] == "c0ffee@wagate")
        #expect(line["call_id"] == "\(call)")
        #expect(harness.stack.responses(on: phone).map(\.status).contains(180))
    }

    @Test("a response without the header, or with one that is not a plain token, logs nothing")
    func absentOrHostileIsIgnored() async throws {
        let events = EventBox()
        let harness = await MetaSIPHarness(logger: Logger(label: "meta") { _ in CapturingHandler(box: events) })
        _ = await harness.phoneInvite()
        let meta = try #require(harness.metaInvite?.handle)
        await respond(harness, meta, 180, metaWACID: nil)
        await respond(harness, meta, 183, metaWACID: "evil\" injected=1 \n")
        #expect(lines(events).isEmpty, "\(lines(events))")
    }
}
