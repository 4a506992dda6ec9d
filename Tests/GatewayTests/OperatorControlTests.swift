// What operators steer through the admin API, through call control and the
// real SIP adapter: hang-up ends both legs, drain refuses new calls and undrain
// takes them again, the live table shows each leg's state.

import CallControl
import Config
import SIP
import TestSupport
import Testing

@Suite("Gateway: operator control")
struct OperatorControlTests {
    @Test("an operator's hang-up of an answered call sends BYE and terminate; the CDR says the gateway ended it")
    func hangUpAnswered() async throws {
        let harness = await GatewayHarness()
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.status(wacid: id, .ringing, opaque: call))
        #expect(await harness.control.liveCalls().map { [$0.sipState, $0.whatsAppState] } == [["ringing", "ringing"]])
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        let live = try #require(await harness.control.liveCalls().first)
        #expect(live.sipState == "answered" && live.whatsAppState == "answered" && live.direction == .outbound)

        #expect(await harness.control.hangUp(CallID(call)))
        await harness.settle()
        #expect(harness.stack.byes.contains(handle))
        #expect(harness.journal.contains("wa.terminate \(id)"))
        #expect(harness.journal.contains("media.close \(call)"))
        #expect(await harness.control.activeCallCount == 0)
        #expect(await harness.control.hangUp(CallID(call)) == false, "a second hang-up finds no call")
    }

    @Test("an operator's hang-up before answer gives the phone 480 and terminates the WhatsApp call")
    func hangUpRinging() async throws {
        let harness = await GatewayHarness()
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.status(wacid: id, .ringing, opaque: call))
        #expect(await harness.control.hangUp(CallID(call)))
        await harness.settle()
        #expect(harness.stack.responses(on: handle).last?.status == 480)
        #expect(harness.journal.contains("wa.terminate \(id)"))
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("drain refuses new INVITEs with 503 and keeps live calls; undrain admits again")
    func drainAndUndrain() async throws {
        let harness = await GatewayHarness()
        await harness.invite("+14085551234")
        #expect(await harness.control.setDraining(true))
        let refused = await harness.invite("+14085551235")
        #expect(harness.stack.responses(on: refused).last?.status == 503)
        #expect(await harness.control.activeCallCount == 1, "the live call goes on")
        #expect(await harness.control.setDraining(false) == false)
        let admitted = await harness.invite("+14085551236")
        #expect(harness.stack.responses(on: admitted).allSatisfy { $0.status < 300 })
        #expect(await harness.control.activeCallCount == 2)
    }
}
