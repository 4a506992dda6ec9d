// A browser's own calls through the real agent adapter and call control: `dial`
// passes the same admission as a phone (permission refusal → `permission` then
// `ended`), call control's responses become `progress`/`answered`, and the
// page's DTMF, hold and hang-up reach the call.

import CallControl
import Config
import TestSupport
import Testing
import WebAgents
@testable import Gateway

@Suite("Gateway: a browser dials like a phone")
struct AgentSignalingTests {
    static let session = "s-alicebrowser0002"
    static let dialled = "+14085551234"

    private func harness() async -> AgentCallsHarness {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        return harness
    }

    /// The `a-…` id the `ok` of the dial named.
    private func dialled(_ harness: AgentCallsHarness) throws -> String {
        let ok = harness.hub.messages(to: Self.session).compactMap { if case .ok(_, let call?) = $0 { call } else { nil } }
        return try #require(ok.first)
    }

    @Test("no permission: the page gets permission missing, then ended no_permission with 403")
    func missingPermission() async throws {
        let harness = await harness()
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        await harness.page(.dial(to: Self.dialled, sdp: "v=0 browser"), session: Self.session, user: "alice")
        let call = try dialled(harness)
        let messages = harness.hub.messages(to: Self.session)
        let permission = try #require(messages.firstIndex {
            if case .permission(let notice) = $0 { notice.status == "missing" && notice.to == Self.dialled && notice.canRequest } else { false }
        })
        let ended = try #require(messages.firstIndex {
            if case .ended(let ended) = $0 { ended.call == call && ended.reason == "no_permission" && ended.sipStatus == 403 } else { false }
        })
        #expect(permission < ended)
        #expect(harness.journal.matching("wa.connect").isEmpty)
    }

    @Test("permission.request sends the number's template; the user's reply reaches the page as granted")
    func requestThenGranted() async throws {
        var config = GatewayConfig.test()
        config.numbers[0].permissionTemplate = PermissionTemplateConfig(name: "call_request", language: "en_US")
        let harness = await AgentCallsHarness(config: config)
        harness.hub.login("alice", session: Self.session)
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        await harness.page(.permissionRequest(to: Self.dialled), session: Self.session, user: "alice", re: "p")
        #expect(harness.journal.contains("wa.permissionRequest \(Self.dialled)"))
        let requested = AgentPermissionNotice(to: Self.dialled, status: "requested", canRequest: false, requestSent: true)
        #expect(harness.hub.messages(to: Self.session) == [.ok(re: "p"), .permission(requested)])
        await harness.webhook(.permissionReply(user: .phone(Self.dialled), accepted: true, permanent: true, expiration: nil))
        let granted = AgentPermissionNotice(to: Self.dialled, status: "granted", canRequest: false, requestSent: true)
        #expect(harness.hub.messages(to: Self.session).last == .permission(granted))
    }

    @Test("permission.request without a template or open window is refused permission_request_refused")
    func requestImpossible() async throws {
        let harness = await harness()
        await harness.page(.permissionRequest(to: Self.dialled), session: Self.session, user: "alice", re: "p")
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .error(let error) = $0 { error.code == .permissionRequestRefused && error.re == "p" } else { false }
        })
    }

    @Test("a destination the user's policy forbids ends at once, as for a phone")
    func policyRefusal() async throws {
        let harness = await harness()
        await harness.page(.dial(to: "+19005550100", sdp: "v=0 browser"), session: Self.session, user: "alice")
        let call = try dialled(harness)
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .ended(let ended) = $0 { ended.call == call && ended.sipStatus == 403 } else { false }
        })
        #expect(harness.journal.matching("media.openOutbound").isEmpty)
    }

    @Test("permission: connect, ringing → progress with wagate's answer, answer → answered; DTMF, hold, WhatsApp hangs up")
    func dialAnsweredThenEndedByWhatsApp() async throws {
        let harness = await harness()
        await harness.page(.dial(to: Self.dialled, sdp: "v=0 browser"), session: Self.session, user: "alice")
        let call = try dialled(harness)
        let (id, wacid) = try #require(await harness.control.summaries().last.map { ($0.context.callID, $0.context.wacid) })
        let callWACID = try #require(wacid)
        #expect(harness.journal.contains("media.openOutbound \(id)"))
        await harness.webhook(.status(wacid: callWACID, .ringing, opaque: id.rawValue))
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .progress(call, 180, let sdp) = $0 { sdp == "browser-answer-\(id)" } else { false }
        })
        await harness.webhook(.answer(wacid: callWACID, sdp: "meta-answer", opaque: id.rawValue))
        await harness.webhook(.status(wacid: callWACID, .accepted, opaque: id.rawValue))
        await harness.mediaEvent(.connected, call: id.rawValue)
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .answered(call, _) = $0 { true } else { false }
        })
        await harness.page(.dtmf(call: call, digits: "1#", durationMS: 160), session: Self.session, user: "alice")
        #expect(harness.journal.matching("media.dtmf \(id) whatsapp") == ["media.dtmf \(id) whatsapp 1", "media.dtmf \(id) whatsapp #"])
        await harness.page(.hold(call: call, on: true), session: Self.session, user: "alice")
        #expect(harness.journal.contains("media.business \(id) held=true muted=false"))
        #expect(harness.hub.messages(to: Self.session).contains(.held(call: call, on: true)))
        await harness.webhook(.terminate(wacid: callWACID, completed: true, duration: 5, errors: [], opaque: id.rawValue))
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .ended(let ended) = $0 { ended.call == call && ended.by == "whatsapp" } else { false }
        })
    }

    @Test("the agent hangs up an answered call: ended by agent, Meta gets terminate")
    func agentHangsUp() async throws {
        let harness = await harness()
        await harness.page(.dial(to: Self.dialled, sdp: "v=0 browser"), session: Self.session, user: "alice")
        let call = try dialled(harness)
        let (id, wacid) = try #require(await harness.control.summaries().last.map { ($0.context.callID, $0.context.wacid) })
        let callWACID = try #require(wacid)
        await harness.webhook(.answer(wacid: callWACID, sdp: "meta-answer", opaque: id.rawValue))
        await harness.webhook(.status(wacid: callWACID, .accepted, opaque: id.rawValue))
        await harness.mediaEvent(.connected, call: id.rawValue)
        await harness.page(.hangup(call: call), session: Self.session, user: "alice")
        #expect(harness.hub.messages(to: Self.session).contains {
            if case .ended(let ended) = $0 { ended.call == call && ended.by == "agent" } else { false }
        })
        #expect(harness.journal.contains("wa.terminate \(callWACID)"))
    }

    @Test("requests about another session's call are refused unknown_call")
    func foreignCall() async throws {
        let harness = await harness()
        await harness.page(.dial(to: Self.dialled, sdp: "v=0 browser"), session: Self.session, user: "alice")
        let call = try dialled(harness)
        harness.hub.login("bob", session: "s-bobbrowser000001")
        await harness.page(.hangup(call: call), session: "s-bobbrowser000001", user: "bob", re: "x")
        #expect(harness.hub.messages(to: "s-bobbrowser000001").contains {
            if case .error(let error) = $0 { error.code == .unknownCall && error.re == "x" } else { false }
        })
    }
}
