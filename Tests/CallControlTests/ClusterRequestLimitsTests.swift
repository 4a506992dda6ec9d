// Meta's permission request limits counted with the other nodes of a cluster:
// call control asks the shared count before a request goes out, and tells it of
// refunds, Meta's holds and connected calls.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

/// The shared count as call control sees it: answers `allow`, records each call.
final class FakeSharedLimits: SharedRequestLimits {
    enum Call: Equatable {
        case claim(keys: [String], number: String, requestID: String)
        case refund(number: String, requestID: String)
        case hold(keys: [String], until: Date)
        case reset(keys: [String])
    }

    let allow: Bool
    let calls = Locked<[Call]>([])

    init(allow: Bool) { self.allow = allow }

    func claim(user: WhatsAppUser, number: WhatsAppNumberID, requestID: String, now: Date) async -> Bool {
        calls.withValue { $0.append(.claim(keys: user.identifiers, number: number.rawValue, requestID: requestID)) }
        return allow
    }

    func refund(number: WhatsAppNumberID, requestID: String) async {
        calls.withValue { $0.append(.refund(number: number.rawValue, requestID: requestID)) }
    }

    func hold(user: WhatsAppUser, number: WhatsAppNumberID, until: Date) async {
        calls.withValue { $0.append(.hold(keys: user.identifiers, until: until)) }
    }

    func reset(user: WhatsAppUser, number: WhatsAppNumberID) async {
        calls.withValue { $0.append(.reset(keys: user.identifiers)) }
    }
}

@Suite("Permission request limits across a cluster")
struct ClusterRequestLimitsTests {
    static func harness(_ shared: FakeSharedLimits) -> (Harness, NumberCounters) {
        var config = GatewayConfig.test(sendPermissionRequest: true)
        config.numbers[0].permissionTemplate = PermissionTemplateConfig(name: "call_request", language: "en_US",
            components: [.init(type: "body", parameters: [.init(value: .substitution(.dialled))])])
        let counters = NumberCounters(numberNames: [config.numbers[0].name])
        let h = Harness(config: config, counters: counters, requestLimits: shared)
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        return (h, counters)
    }

    @Test("another node already sent what Meta allows: nothing goes out, counted as limited")
    func heldBackByTheCluster() async {
        let shared = FakeSharedLimits(allow: false)
        let (h, counters) = Self.harness(shared)
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status != nil)
        #expect(h.whatsApp.permissionRequests.current.isEmpty)
        #expect(counters.permissionRequests.value(number: "default", kind: .template, outcome: .limited) == 1)
        #expect(counters.permissionRequests.value(number: "default", kind: .template, outcome: .sent) == 0)
        guard case .claim(let keys, let number, _)? = shared.calls.current.first else {
            Issue.record("no claim: \(shared.calls.current)")
            return
        }
        #expect(keys == ["+14085551234"] && number == GatewayConfig.test().numbers[0].phoneNumberID)
    }

    @Test("the cluster has room: the request goes out once claimed")
    func claimedThenSent() async {
        let shared = FakeSharedLimits(allow: true)
        let (h, counters) = Self.harness(shared)
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 1)
        #expect(counters.permissionRequests.value(number: "default", kind: .template, outcome: .sent) == 1)
        #expect(shared.calls.current.count == 1)
    }

    @Test("Meta's 138009 holds the user back a day on every node")
    func metaLimitIsShared() async {
        let shared = FakeSharedLimits(allow: true)
        let (h, _) = Self.harness(shared)
        h.whatsApp.behaviours.withValue { $0["messages"] = .graph(code: 138009, httpStatus: 400, message: "limit") }
        let start = h.clock.now
        await h.invite()
        #expect(shared.calls.current.last == .hold(keys: ["+14085551234"], until: start.addingTimeInterval(24 * 3600)))
    }

    @Test("a request Meta refused for another reason is refunded under the id it was claimed with")
    func refusedIsRefunded() async {
        let shared = FakeSharedLimits(allow: true)
        let (h, _) = Self.harness(shared)
        h.whatsApp.behaviours.withValue { $0["messages"] = .graph(code: 131009, httpStatus: 400, message: "bad") }
        await h.invite()
        let calls = shared.calls.current
        guard case .claim(_, let number, let requestID)? = calls.first else {
            Issue.record("no claim: \(calls)")
            return
        }
        #expect(calls.last == .refund(number: number, requestID: requestID))
    }

    @Test("an answered business-initiated call resets the counts on every node")
    func connectedCallResets() async {
        let shared = FakeSharedLimits(allow: true)
        let (h, _) = Self.harness(shared)
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .temporary)) }
        await h.answeredOutbound()
        #expect(shared.calls.current == [.reset(keys: ["+14085551234"])])
    }
}
