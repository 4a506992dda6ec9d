// REFER through the real SIP adapter and call control: an accepted REFER
// becomes the leg's transfer request and call control's answer goes back as a
// final NOTIFY; a transfer INVITE carries Replaces and Referred-By.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
@testable import SIP

@Suite("Gateway: REFER and Replaces")
struct ReferSignalingTests {
    /// alice's call to a WhatsApp number, answered by Meta and connected.
    private func connectedPhoneCall(_ harness: GatewayHarness) async throws -> SIPHandle {
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        #expect(harness.stack.responses(on: handle).last?.status == 200)
        return handle
    }

    private func notifies(_ harness: GatewayHarness, on handle: SIPHandle) -> [(status: Int, terminated: Bool)] {
        harness.stack.commands.compactMap {
            guard case let .notifyRefer(target, status, terminated) = $0, target == handle else { return nil }
            return (status, terminated)
        }
    }

    @Test("a REFER on an answered call reaches call control, whose outcome is a final NOTIFY; the call stays up")
    func referIsAnsweredByCallControl() async throws {
        let harness = await GatewayHarness()
        let handle = try await connectedPhoneCall(harness)
        await harness.event(.refer(handle, ReferRequest(referTo: "sip:bob@192.0.2.1", targetUser: "bob")))
        let sent = notifies(harness, on: handle)
        #expect(sent.last?.terminated == true && (sent.last?.status ?? 0) >= 200)
        #expect(harness.stack.byes.isEmpty || sent.last?.status == 200)
    }

    @Test("a REFER on a dialog no call owns gets a final 481 NOTIFY")
    func referOnUnknownDialog() async {
        let harness = await GatewayHarness()
        let stray = harness.stack.makeHandle()
        await harness.event(.refer(stray, ReferRequest(referTo: "sip:bob@192.0.2.1", targetUser: "bob")))
        #expect(notifies(harness, on: stray).map(\.status) == [481])
        #expect(notifies(harness, on: stray).map(\.terminated) == [true])
    }

    @Test("a transfer INVITE carries Replaces (copied, or our own dialog's) and Referred-By")
    func transferInvite() async throws {
        let harness = await GatewayHarness()
        let handle = try await connectedPhoneCall(harness)
        let replaces = try #require(ReplacesHeader("a@h;to-tag=1;from-tag=2"))
        var copied = OutgoingSIPCall(leg: SIPLegID("x/xfer1"), targets: [.trunk("pbx")], callerNumber: "+447700900123",
                                     callerDisplayName: nil, sdpOffer: "v=0 offer")
        copied.replaces = .value(replaces.description)
        copied.referredBy = "alice"
        await harness.signaling.placeCall(copied, context: CallLogContext(callID: CallID("x")))
        let sent = try #require(harness.stack.invites.last?.call)
        #expect(sent.replaces == .value(replaces))
        #expect(sent.headers.contains { $0.hasPrefix("Referred-By: <sip:alice@") })

        var local = copied
        local.leg = SIPLegID("x/xfer2")
        local.replaces = .dialogOf(SIPLegID("in-\(handle.rawValue)"))
        await harness.signaling.placeCall(local, context: CallLogContext(callID: CallID("x")))
        #expect(harness.stack.invites.last?.call.replaces == .dialog(handle))

        // A copied value that does not parse is never sent: the target is not rung.
        let before = harness.stack.invites.count
        var hostile = copied
        hostile.leg = SIPLegID("x/xfer3")
        hostile.replaces = .value("a@h;to-tag=1\r\nX-Evil: 1;from-tag=2")
        await harness.signaling.placeCall(hostile, context: CallLogContext(callID: CallID("x")))
        #expect(harness.stack.invites.count == before)
    }
}
