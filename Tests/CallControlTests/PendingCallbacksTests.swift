// The table of armed callbacks: one per caller, user and number, bounded per
// caller and in total, and nothing fired past its deadline.

import Foundation
import TestSupport
import Testing
@testable import CallControl

private let start = Date(timeIntervalSince1970: 1_000_000)
private let number = WhatsAppNumberID("PN1")

private func request(_ origin: SIPOrigin = .user("alice"), _ who: WhatsAppUser = user,
                     window: Duration = .seconds(60)) -> CallbackRequest {
    let invite = IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: who.address,
                                fromUser: "1001", sdpOffer: nil)
    return CallbackRequest(invite: invite, user: who, window: window)
}

@Suite("Pending callbacks")
struct PendingCallbacksTests {
    @Test("a grant in time takes the entry; a second grant finds nothing")
    func takeInTime() {
        var table = PendingCallbacks()
        #expect(table.arm(request(), number: number, now: start) == .added)
        let (due, expired) = table.take(user: user, number: number, now: start.addingTimeInterval(59))
        #expect(due.count == 1 && expired.isEmpty)
        #expect(table.take(user: user, number: number, now: start).due.isEmpty)
    }

    @Test("matching by any identifier, and only on the number the call went through")
    func matching() {
        var table = PendingCallbacks()
        let known = WhatsAppUser(phone: "+14085551234", bsuid: "US.1234567890")
        _ = table.arm(request(.user("alice"), known), number: number, now: start)
        #expect(table.take(user: user, number: WhatsAppNumberID("PN2"), now: start).due.isEmpty)
        #expect(table.take(user: WhatsAppUser(bsuid: "US.1234567890"), number: number, now: start).due.count == 1)
    }

    @Test("a grant past the deadline fires nothing and is reported expired")
    func pastDeadline() {
        var table = PendingCallbacks()
        _ = table.arm(request(), number: number, now: start)
        let (due, expired) = table.take(user: user, number: number, now: start.addingTimeInterval(61))
        #expect(due.isEmpty && expired.count == 1)
        _ = table.arm(request(), number: number, now: start)
        #expect(table.expire(now: start.addingTimeInterval(61)).count == 1)
        #expect(table.entries.isEmpty && table.nextDeadline == nil)
    }

    @Test("a repeat for the same caller and user replaces the entry with the new deadline")
    func replacement() {
        var table = PendingCallbacks()
        _ = table.arm(request(), number: number, now: start)
        #expect(table.arm(request(window: .seconds(600)), number: number, now: start.addingTimeInterval(30)) == .replaced)
        #expect(table.entries.count == 1)
        #expect(table.nextDeadline == start.addingTimeInterval(630))
    }

    @Test("bounded per caller and in total: the oldest gives way")
    func bounds() {
        var table = PendingCallbacks(perCaller: 2, capacity: 3)
        for index in 0..<3 {
            _ = table.arm(request(.user("alice"), .phone("+1408555000\(index)")), number: number, now: start)
        }
        #expect(table.entries.filter { $0.request.origin == .user("alice") }.count == 2)
        #expect(table.entries.first?.request.user.address == "+14085550001")
        _ = table.arm(request(.trunk("pbx"), .phone("+14085550009")), number: number, now: start)
        let result = table.arm(request(.user("bob"), .phone("+14085550008")), number: number, now: start)
        guard case .evicted(let dropped) = result else {
            Issue.record("expected an eviction")
            return
        }
        #expect(dropped.request.user.address == "+14085550001")
        #expect(table.entries.count == 3)
    }
}
