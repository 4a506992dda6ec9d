// Responses inside an established dialog (session refreshes, holds) and the
// forks of one ringing leg, through the real adapter and call control.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
@testable import SIP

@Suite("Gateway: forks and in-dialog responses")
struct InDialogResponseTests {
    /// A WhatsApp user's call to trunk pbx (+49 routes there), answered and bridged.
    private func connectedTrunkCall(_ harness: GatewayHarness) async throws -> (handle: SIPHandle, wacid: WACID) {
        let wacid = WACID("wacid.in1")
        await harness.webhook(.userCall(wacid: wacid, caller: .phone("4930123456", name: "Zoe"), number: nil, offer: "meta-offer"))
        let invite = try #require(harness.stack.invites.first)
        await harness.event(.inviteResponse(invite.handle, status: 180, phrase: "Ringing", body: [], contentType: nil))
        await harness.event(.inviteResponse(invite.handle, status: 200, phrase: "OK",
                                            body: Array("v=0 phone".utf8), contentType: "application/sdp"))
        #expect(harness.journal.contains("wa.accept \(wacid)"))
        #expect(harness.journal.count("media.bridge") == 1)
        return (invite.handle, wacid)
    }

    @Test("a 2xx to wagate's session refresh on an answered leg is no new answer: the call stays up")
    func refreshAnswerKeepsCall() async throws {
        let harness = await GatewayHarness()
        let (handle, wacid) = try await connectedTrunkCall(harness)
        // The phone answers the refresh re-INVITE wagate sent at half the interval.
        await harness.event(.inDialogResponse(handle, method: "INVITE", status: 200, phrase: "OK"))
        // Even reported like the initial INVITE's answer, it must not end the call.
        await harness.event(.inviteResponse(handle, status: 200, phrase: "OK", body: Array("v=0 phone".utf8),
                                            contentType: "application/sdp"))
        #expect(harness.stack.byes.isEmpty)
        #expect(!harness.journal.contains("wa.terminate \(wacid)"))
        #expect(await harness.control.activeCallCount == 1)
    }

    @Test("a failed refresh (481) is reported but ends nothing: the stack's BYE and terminated do")
    func failedRefreshLeavesEndingToStack() async throws {
        let harness = await GatewayHarness()
        let (handle, wacid) = try await connectedTrunkCall(harness)
        await harness.event(.inDialogResponse(handle, method: "INVITE", status: 481, phrase: "No Dialog"))
        #expect(await harness.control.activeCallCount == 1)
        await harness.event(.terminated(handle, status: 481, phrase: "No Dialog"))
        #expect(harness.journal.contains("wa.terminate \(wacid)"))
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("a phone's call the stack ends itself (session expired, refresh refused) ends the WhatsApp leg")
    func stackEndedIncomingDialog() async throws {
        let harness = await GatewayHarness()
        let handle = await harness.invite("+14085551234")
        let (call, wacid) = try #require(await harness.lastCall())
        let id = try #require(wacid)
        await harness.webhook(.answer(wacid: id, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: id, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        #expect(harness.stack.responses(on: handle).last?.status == 200)
        await harness.event(.inDialogResponse(handle, method: "INVITE", status: 200, phrase: "OK"))
        #expect(await harness.control.activeCallCount == 1)
        await harness.event(.terminated(handle, status: 408, phrase: "Session Timer Expired"))
        #expect(harness.journal.contains("wa.terminate \(id)"))
        #expect(await harness.control.activeCallCount == 0)
    }

    /// A WhatsApp user's call to ring group sales: one leg forked to alice's and bob's phones.
    private func forkedCall(_ harness: GatewayHarness) async throws -> [SIPHandle] {
        harness.register("alice", host: "192.0.2.21")
        harness.register("bob", host: "192.0.2.22")
        await harness.webhook(.userCall(wacid: WACID("wacid.in1"), caller: .phone("447700900123", name: "Zoe"), number: nil,
                                        offer: "meta-offer"))
        let forks = harness.stack.invites.map(\.handle)
        try #require(forks.count == 2)
        return forks
    }

    @Test("forks: the first 2xx wins and the others are cancelled; a late 2xx of a sibling gets a BYE")
    func forkWinner() async throws {
        let harness = await GatewayHarness()
        let forks = try await forkedCall(harness)
        await harness.event(.inviteResponse(forks[0], status: 200, phrase: "OK", body: [], contentType: nil))
        #expect(harness.stack.cancels == [forks[1]])
        await harness.event(.inviteResponse(forks[1], status: 200, phrase: "OK", body: [], contentType: nil))
        #expect(harness.stack.byes == [forks[1]])
        await harness.event(.terminated(forks[1], status: 200, phrase: "OK"))
        #expect(await harness.control.activeCallCount == 1)
        #expect(harness.journal.count("wa.accept") == 1)
    }

    @Test("forks: all fail → one failure to call control, a 6xx before lower classes")
    func forkFailures() async throws {
        let harness = await GatewayHarness()
        let forks = try await forkedCall(harness)
        await harness.event(.inviteResponse(forks[0], status: 486, phrase: "Busy Here", body: [], contentType: nil))
        #expect(await harness.control.activeCallCount == 1)
        await harness.event(.inviteResponse(forks[1], status: 603, phrase: "Decline", body: [], contentType: nil))
        #expect(harness.journal.contains("wa.reject wacid.in1"))
        #expect(await harness.control.activeCallCount == 0)
    }
}
