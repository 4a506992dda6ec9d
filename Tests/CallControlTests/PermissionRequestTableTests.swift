// The customer service window table, the request limiter and the choice of
// message, as pure values.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

@Suite("Permission request tables")
struct PermissionRequestTableTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let user = WhatsAppUser(phone: "+14085551234", bsuid: "US.1349120865530274")

    @Test("a message opens the window for 24 h; found by any identifier")
    func windowOpensFor24Hours() {
        var table = ServiceWindowTable()
        let answer1 = table.isOpen(user, now: start)
        #expect(!answer1)
        table.userActivity(WhatsAppUser(bsuid: "US.1349120865530274"), at: start, now: start)
        let answer2 = table.isOpen(user, now: start.addingTimeInterval(23 * 3600))
        #expect(answer2)
        let answer3 = table.isOpen(user, now: start.addingTimeInterval(24 * 3600))
        #expect(!answer3)
        #expect(table.count == 0)
    }

    @Test("a timestamp from the future is clamped; one older than 24 h opens nothing")
    func hostileTimestamps() {
        var table = ServiceWindowTable()
        table.userActivity(user, at: start.addingTimeInterval(10 * 86_400), now: start)
        let answer4 = table.isOpen(user, now: start.addingTimeInterval(86_400))
        #expect(!answer4)
        var old = ServiceWindowTable()
        old.userActivity(user, at: start.addingTimeInterval(-25 * 3600), now: start)
        #expect(old.count == 0)
    }

    @Test("a later message refreshes the window; an older one does not shorten it")
    func refresh() {
        var table = ServiceWindowTable()
        table.userActivity(user, at: start.addingTimeInterval(3600), now: start.addingTimeInterval(3600))
        table.userActivity(user, at: start, now: start.addingTimeInterval(3600))
        let answer5 = table.isOpen(user, now: start.addingTimeInterval(24.5 * 3600))
        #expect(answer5)
        table.close(user)
        let answer6 = table.isOpen(user, now: start.addingTimeInterval(3601))
        #expect(!answer6)
    }

    @Test("the window table is bounded")
    func windowBounded() {
        var table = ServiceWindowTable(capacity: 3)
        for index in 0..<10 { table.userActivity(.phone("+1408555000\(index)"), at: start, now: start) }
        #expect(table.count == 3)
    }

    @Test("limiter: 1 per 24 h, 2 per 7 days")
    func limits() {
        var limiter = PermissionRequestLimiter()
        let answer7 = limiter.allows(user, now: start)
        #expect(answer7)
        limiter.recordSent(user, now: start)
        let answer8 = limiter.allows(user, now: start.addingTimeInterval(23 * 3600))
        #expect(!answer8)
        let day2 = start.addingTimeInterval(86_400)
        let answer9 = limiter.allows(user, now: day2)
        #expect(answer9)
        limiter.recordSent(user, now: day2)
        let answer10 = limiter.allows(user, now: start.addingTimeInterval(3 * 86_400))
        #expect(!answer10)
        let answer11 = limiter.allows(WhatsAppUser(bsuid: "US.1349120865530274"), now: start.addingTimeInterval(6 * 86_400))
        #expect(!answer11)
        let answer12 = limiter.allows(user, now: start.addingTimeInterval(7 * 86_400 + 1))
        #expect(answer12)
    }

    @Test("limiter: a connected call resets; a block holds; a refund gives the request back")
    func resetBlockRefund() {
        var limiter = PermissionRequestLimiter()
        limiter.recordSent(user, now: start)
        limiter.reset(user)
        let answer13 = limiter.allows(user, now: start)
        #expect(answer13)
        limiter.block(user, until: start.addingTimeInterval(86_400))
        let answer14 = limiter.allows(user, now: start.addingTimeInterval(86_399))
        #expect(!answer14)
        let answer15 = limiter.allows(user, now: start.addingTimeInterval(86_400))
        #expect(answer15)
        var other = PermissionRequestLimiter()
        other.recordSent(user, now: start)
        other.refund(user, sentAt: start)
        let answer16 = other.allows(user, now: start)
        #expect(answer16)
    }

    @Test("the limiter is bounded")
    func limiterBounded() {
        var limiter = PermissionRequestLimiter(capacity: 2)
        for index in 0..<10 { limiter.recordSent(.phone("+1408555000\(index)"), now: start) }
        #expect(limiter.count == 2)
    }

    @Test("choice: window → interactive; else the template, filled in; else nothing")
    func choice() {
        let template = PermissionTemplateConfig(name: "call_request", language: "de_DE", components: [
            .init(type: "body", parameters: [.init(value: .substitution(.caller)), .init(value: .text("Acme")),
                                             .init(name: "line", value: .substitution(.dialled)),
                                             .init(value: .substitution(.businessNumber))]),
        ])
        let context = PermissionRequestContext(businessNumber: "+15550100000", dialled: "004930123",
                                               caller: "Front\r\n  Desk\t1")
        #expect(PermissionRequestMessage.choose(windowOpen: true, template: template, text: "May we call?",
                                                context: context) == .interactive(text: "May we call?"))
        #expect(PermissionRequestMessage.choose(windowOpen: false, template: nil, text: "x", context: context) == nil)
        let message = PermissionRequestMessage.choose(windowOpen: false, template: template, text: "x", context: context)
        #expect(message == .template(name: "call_request", language: "de_DE", components: [
            PermissionTemplateComponent(type: "body", parameters: [(nil, "Front Desk 1"), (nil, "Acme"),
                                                                   ("line", "004930123"), (nil, "+15550100000")]),
        ]))
        let empty = template.message(PermissionRequestContext(businessNumber: "+15550100000", caller: " \n "))
        guard case .template(_, _, let components) = empty else { return }
        #expect(components[0].parameters[0].text == "+15550100000")
        #expect(components[0].parameters[2].text == "+15550100000")
    }
}
