// An operator's recording start and stop through call control: the live call
// is found by its id and the media adapter asked; an unknown or ended call is
// `noSuchCall` (the admin API's 404) without touching media; the adapter's
// refusal comes back as it is (409).

import CallControl
import TestSupport
import Testing

@Suite("Gateway: live recording through call control")
struct LiveRecordingTests {
    /// An answered outbound call; its call id.
    func answeredCall(_ harness: GatewayHarness) async throws -> String {
        await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        return call
    }

    @Test("start and stop reach the call's media; an unknown call never does")
    func startStop() async throws {
        let harness = await GatewayHarness()
        let call = try await answeredCall(harness)
        #expect(await harness.control.setRecording(CallID(call), on: true) == .started(path: "/rec/\(call).wav"))
        #expect(await harness.control.setRecording(CallID(call), on: false) == .stopped(path: "/rec/\(call).wav"))
        #expect(harness.journal.contains("media.recording start \(call)"))
        #expect(harness.journal.contains("media.recording stop \(call)"))
        #expect(await harness.control.setRecording(CallID("g-nope"), on: true) == .noSuchCall)
        #expect(!harness.journal.contains("media.recording start g-nope"))
    }

    @Test("the media adapter's refusal is passed on; an ended call is no longer found")
    func refusedAndEnded() async throws {
        let harness = await GatewayHarness()
        let call = try await answeredCall(harness)
        harness.media.recordingAnswer.withValue { $0 = .refused("pass-through call: no decoded audio to record") }
        #expect(await harness.control.setRecording(CallID(call), on: true)
            == .refused("pass-through call: no decoded audio to record"))
        #expect(await harness.control.hangUp(CallID(call)))
        await harness.settle()
        #expect(await harness.control.setRecording(CallID(call), on: false) == .noSuchCall)
    }
}
