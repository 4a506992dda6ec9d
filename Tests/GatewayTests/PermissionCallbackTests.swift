// Callbacks through the real SIP adapter and call control: the 403 that arms
// one, the INVITE to the refused phone or trunk when the user grants
// permission, `connect` once the phone answers, and the ways it ends.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
@testable import SIP

@Suite("Gateway: callback when permission arrives")
struct PermissionCallbackTests {
    static let dialled = "+14085551234"
    static let user = WhatsAppUser.phone(dialled)

    /// alice and trunk pbx with a 600-second `permission_callback`; nobody has permission, and
    /// the number's approved template asks for it (no service window is open) unless `template` is false.
    private func harness(template: Bool = true, claims: (any ClusterClaims)? = nil) async -> GatewayHarness {
        var config = GatewayConfig.test(sendPermissionRequest: true)
        if template {
            config.numbers[0].permissionTemplate = PermissionTemplateConfig(name: "call_request", language: "en_US")
        }
        config.users[0].permissionCallback = .seconds(600)
        config.trunks[0].permissionCallback = .seconds(600)
        let harness = await GatewayHarness(config: config, claims: claims)
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        harness.register("alice", host: "192.0.2.60")
        return harness
    }

    /// The cluster's claims as a node sees them: `first` claims succeed, each key is recorded.
    final class Claims: ClusterClaims {
        let keys = Locked<[String]>([])
        let granted: Bool
        init(granted: Bool) { self.granted = granted }
        func claimOnce(_ key: String, window: Duration) async -> Bool {
            keys.withValue { $0.append(key) }
            return granted
        }
    }

    @Test("in a cluster the node that claims the callback places it; another node's claim drops it here")
    func clusterClaims() async throws {
        let mine = Claims(granted: true)
        let here = await harness(claims: mine)
        try await refusedThenGranted(here)
        #expect(here.stack.invites.count == 1)
        #expect(mine.keys.current == ["callback:\(GatewayConfig.test().numbers[0].phoneNumberID):user:alice:\(Self.dialled)"])
        let theirs = Claims(granted: false)
        let elsewhere = await harness(claims: theirs)
        try await refusedThenGranted(elsewhere)
        #expect(elsewhere.stack.invites.isEmpty, "another node calls alice back")
        #expect(theirs.keys.current == mine.keys.current)
    }

    /// alice dials the user, gets 403, and the user grants permission.
    private func refusedThenGranted(_ harness: GatewayHarness, after delay: Duration = .zero) async throws {
        let handle = await harness.invite(Self.dialled)
        let refusal = try #require(harness.stack.responses(on: handle).last)
        #expect(refusal.status == 403)
        #expect(refusal.headers.contains { $0.hasPrefix("Warning:") && $0.contains("called back") })
        #expect(harness.journal.contains("wa.permissionRequest \(Self.user)"))
        if delay > .zero { await harness.advance(delay) }
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .permanent)) }
        await harness.webhook(.permissionReply(user: Self.user, accepted: true, permanent: true, expiration: nil))
    }

    @Test("granted in time: alice's phone rings as from the user, answers, connect follows, then the bridge")
    func grantedCallsBack() async throws {
        let harness = await harness()
        try await refusedThenGranted(harness)
        let invite = try #require(harness.stack.invites.first)
        #expect(invite.call.requestURI.hasPrefix("sip:alice@192.0.2.60"))
        #expect(invite.call.from.contains("sip:\(Self.dialled)@"))
        #expect(harness.journal.matching("wa.connect").isEmpty, "no connect before the phone answers")
        await harness.event(.inviteResponse(invite.handle, status: 200, phrase: "OK",
                                            body: Array("v=0 phone".utf8), contentType: "application/sdp"))
        let connect = try #require(harness.journal.matching("wa.connect").first)
        #expect(connect.hasPrefix("wa.connect \(Self.dialled) "))
        let (call, wacid) = try #require(await harness.lastCall())
        let callWACID = try #require(wacid)
        await harness.webhook(.status(wacid: callWACID, .ringing, opaque: call))
        #expect(harness.journal.contains("media.ringback \(call)"))
        await harness.webhook(.answer(wacid: callWACID, sdp: "meta-answer", opaque: call))
        await harness.webhook(.status(wacid: callWACID, .accepted, opaque: call))
        await harness.mediaEvent(.connected, call: call)
        #expect(harness.journal.contains("media.bridge \(call)"))
        #expect(await harness.control.summaries().last?.phase == "callback.connected")
        let directions = harness.records.events.current.compactMap { event -> BridgeDirection? in
            if case .started(let start) = event.1 { start.direction } else { nil }
        }
        #expect(directions == [.outbound, .callback])
        await harness.event(.bye(invite.handle))
        #expect(harness.journal.contains("wa.terminate \(callWACID)"))
    }

    @Test("the WhatsApp user rejects the callback: the answered phone gets a BYE")
    func rejectEndsPhone() async throws {
        let harness = await harness()
        try await refusedThenGranted(harness)
        let invite = try #require(harness.stack.invites.first)
        await harness.event(.inviteResponse(invite.handle, status: 200, phrase: "OK",
                                            body: Array("v=0 phone".utf8), contentType: "application/sdp"))
        let (call, wacid) = try #require(await harness.lastCall())
        await harness.webhook(.status(wacid: try #require(wacid), .rejected, opaque: call))
        #expect(harness.stack.byes == [invite.handle])
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("a grant after the deadline, or a decline, rings nothing")
    func lateOrDeclined() async throws {
        let late = await harness()
        try await refusedThenGranted(late, after: .seconds(601))
        #expect(late.stack.invites.isEmpty)
        let declined = await harness()
        _ = await declined.invite(Self.dialled)
        await declined.webhook(.permissionReply(user: Self.user, accepted: false, permanent: false, expiration: nil))
        await declined.webhook(.permissionReply(user: Self.user, accepted: true, permanent: true, expiration: nil))
        #expect(declined.stack.invites.isEmpty)
    }

    @Test("a trunk is called back at the original caller's From user")
    func trunkCallback() async throws {
        let harness = await harness()
        let handle = await harness.invite("049301234567", from: .trunk("pbx"))
        #expect(harness.stack.responses(on: handle).last?.status == 403)
        await harness.webhook(.permissionReply(user: .phone("+49301234567"), accepted: true, permanent: true,
                                               expiration: nil))
        let invite = try #require(harness.stack.invites.first)
        #expect(invite.call.requestURI.hasPrefix("sip:caller@192.0.2.10"))
        #expect(invite.call.from.contains("sip:049301234567@"))
    }

    @Test("a phone that does not answer: the INVITE is cancelled at the ring timeout and nothing reaches WhatsApp")
    func phoneNoAnswer() async throws {
        let harness = await harness()
        try await refusedThenGranted(harness)
        let invite = try #require(harness.stack.invites.first)
        await harness.advance(.seconds(26))
        #expect(harness.stack.cancels == [invite.handle])
        #expect(harness.journal.matching("wa.connect").isEmpty)
    }

    @Test("no template and no open window: nothing can ask the user, so no callback is armed or announced")
    func nothingToAskWith() async throws {
        let harness = await harness(template: false)
        let handle = await harness.invite(Self.dialled)
        let refusal = try #require(harness.stack.responses(on: handle).last)
        #expect(refusal.status == 403)
        #expect(!refusal.headers.contains { $0.contains("called back") })
        #expect(!harness.journal.contains("wa.permissionRequest \(Self.user)"))
        await harness.webhook(.permissionReply(user: Self.user, accepted: true, permanent: true, expiration: nil))
        #expect(harness.stack.invites.isEmpty)
    }
}
