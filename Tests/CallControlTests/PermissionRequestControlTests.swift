// CallControl performing `.sendPermissionRequest`: interactive inside the
// customer service window, the number's template outside it, Meta's limits per
// user, and what Meta's refusals change.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl permission requests")
struct PermissionRequestControlTests {
    static let user = WhatsAppUser.phone("+14085551234")

    /// A harness whose user has no permission; with a template when `template`.
    static func harness(template: Bool = true) -> (Harness, NumberCounters) {
        var config = GatewayConfig.test(sendPermissionRequest: true)
        if template {
            config.numbers[0].permissionTemplate = PermissionTemplateConfig(name: "call_request", language: "en_US",
                components: [.init(type: "body", parameters: [.init(value: .substitution(.dialled))])])
        }
        let counters = NumberCounters(numberNames: [config.numbers[0].name])
        let h = Harness(config: config, counters: counters)
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        return (h, counters)
    }

    static func count(_ counters: NumberCounters, _ kind: PermissionRequestKind,
                      _ outcome: PermissionRequestCounters.Outcome) -> Int {
        counters.permissionRequests.value(number: "default", kind: kind, outcome: outcome)
    }

    @Test("no window, no template: nothing is sent, counted as no_template")
    func noTemplate() async {
        let (h, counters) = Self.harness(template: false)
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status == 403)
        #expect(h.whatsApp.permissionRequests.current.isEmpty)
        #expect(Self.count(counters, .template, .noTemplate) == 1)
    }

    @Test("the user messaged the number: the interactive request")
    func windowOpen() async {
        let (h, counters) = Self.harness()
        await h.webhook(.userMessage(user: Self.user, number: nil, at: h.clock.now))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current == [.interactive(text: GatewayConfig.test().whatsapp.permissionRequestText)])
        #expect(Self.count(counters, .interactive, .sent) == 1)
    }

    @Test("a user-initiated call opens the window too")
    func callOpensWindow() async {
        let (h, _) = Self.harness()
        _ = await h.inboundCall(from: "14085551234")
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.first?.kind == .interactive)
    }

    @Test("no window: the template, with {dialled} filled in")
    func template() async {
        let (h, counters) = Self.harness()
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current == [.template(name: "call_request", language: "en_US", components: [
            PermissionTemplateComponent(type: "body", parameters: [(nil, "+14085551234")]),
        ])])
        #expect(Self.count(counters, .template, .sent) == 1)
    }

    @Test("a window that closed 24 h later sends the template")
    func windowExpires() async {
        let (h, _) = Self.harness()
        await h.webhook(.userMessage(user: Self.user, number: nil, at: h.clock.now))
        await h.advance(.seconds(24 * 3600))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.map(\.kind) == [.template])
    }

    @Test("limits: the second refused call within 24 h sends nothing; next day one more; a third in the week none")
    func limits() async {
        let (h, counters) = Self.harness()
        await h.invite()
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 1)
        #expect(Self.count(counters, .template, .limited) == 1)
        await h.advance(.seconds(24 * 3600))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 2)
        await h.advance(.seconds(24 * 3600))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 2)
    }

    @Test("an answered business-initiated call resets the limits")
    func connectedCallResets() async {
        let (h, _) = Self.harness()
        await h.invite()
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .temporary)) }
        await h.answeredOutbound()
        h.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        await h.advance(.seconds(301))  // past the cached temporary permission, well inside 24 h
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 2)
    }

    @Test("Meta's 138009 holds the user back for a day")
    func metaLimit() async {
        let (h, counters) = Self.harness()
        h.whatsApp.behaviours.withValue { $0["messages"] = .graph(code: 138009, httpStatus: 400, message: "limit") }
        await h.invite()
        #expect(Self.count(counters, .template, .limited) == 1)
        await h.advance(.seconds(23 * 3600))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 1)
        await h.advance(.seconds(3600))
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.count == 2)
    }

    @Test("131047 for the interactive request: the window is forgotten and the template goes out")
    func reengagement() async {
        let (h, counters) = Self.harness()
        await h.webhook(.userMessage(user: Self.user, number: nil, at: h.clock.now))
        h.whatsApp.behaviours.withValue { $0["messages"] = .graph(code: 131047, httpStatus: 400, message: "window") }
        await h.invite()
        #expect(h.whatsApp.permissionRequests.current.map(\.kind) == [.interactive, .template])
        #expect(Self.count(counters, .interactive, .failed) == 1)
        #expect(Self.count(counters, .template, .sent) == 1)
    }

    @Test("138017: a permanent permission exists, so the next call connects without asking Meta")
    func permanentExists() async {
        let (h, _) = Self.harness()
        h.whatsApp.behaviours.withValue { $0["messages"] = .graph(code: 138017, httpStatus: 400, message: "exists") }
        await h.invite()
        await h.invite()
        #expect(h.journal.count("wa.connect") == 1)
    }

    @Test("the metric renders every number, kind and outcome")
    func exposition() async {
        let (h, counters) = Self.harness()
        await h.invite()
        let text = String(decoding: counters.exposition(), as: UTF8.self)
        #expect(text.contains("wagate_permission_requests_total{number=\"default\",kind=\"template\",outcome=\"sent\"} 1"))
        #expect(text.contains("wagate_permission_requests_total{number=\"default\",kind=\"interactive\",outcome=\"no_template\"} 0"))
    }
}
