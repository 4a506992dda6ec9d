import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Meta's permission rules as a pure value: times are passed in, no sleeps.
@Suite struct PermissionStateMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_745_000_000)
    let hour: TimeInterval = 3600
    let day: TimeInterval = 86_400

    @Test func temporaryPermissionLastsSevenDays() {
        var machine = PermissionStateMachine()
        #expect(machine.status(at: t0) == .noPermission && machine.callRefusal(at: t0) == 138006)
        machine.grant(permanent: false, at: t0)
        #expect(machine.status(at: t0 + 7 * day - 1) == .temporary)
        #expect(machine.status(at: t0 + 7 * day) == .noPermission)
        #expect(machine.snapshot(at: t0).permission.expirationTime == Int(t0.timeIntervalSince1970 + 7 * day))
    }

    @Test func permanentPermissionDoesNotExpire() {
        var machine = PermissionStateMachine()
        machine.grant(permanent: true, at: t0)
        #expect(machine.status(at: t0 + 365 * day) == .permanent)
        machine.revoke()
        #expect(machine.status(at: t0) == .noPermission)
    }

    @Test func requestsOnePerDayTwoPerWeek() {
        var machine = PermissionStateMachine()
        let sent1 = machine.recordRequest(at: t0)
        #expect(sent1)
        let sent2 = machine.recordRequest(at: t0 + 23 * hour)
        #expect(!sent2)
        let sent3 = machine.recordRequest(at: t0 + day)
        #expect(sent3)
        let sent4 = machine.recordRequest(at: t0 + 3 * day)
        #expect(!sent4)
        #expect(!machine.snapshot(at: t0 + 3 * day).actions[0].canPerformAction)
        let sent5 = machine.recordRequest(at: t0 + 7 * day)
        #expect(sent5)
    }

    @Test func connectedCallResetsRequestLimits() {
        var machine = PermissionStateMachine()
        let sent6 = machine.recordRequest(at: t0)
        #expect(sent6)
        machine.grant(permanent: false, at: t0 + hour)
        machine.recordConnected(at: t0 + 2 * hour)
        let sent7 = machine.recordRequest(at: t0 + 3 * hour)
        #expect(sent7)
    }

    @Test func fourUnansweredCallsInARowRevoke() {
        var machine = PermissionStateMachine()
        machine.grant(permanent: true, at: t0)
        for index in 0..<3 { machine.recordUnanswered(at: t0 + Double(index) * hour) }
        #expect(machine.status(at: t0 + 4 * hour) == .permanent && machine.unansweredInARow == 3)
        machine.recordConnected(at: t0 + 4 * hour)
        #expect(machine.unansweredInARow == 0)
        for index in 0..<4 { machine.recordUnanswered(at: t0 + Double(5 + index) * hour) }
        #expect(machine.status(at: t0 + 10 * hour) == .noPermission)
    }

    @Test func dailyConnectedCallLimit() {
        var limits = PermissionStateMachine.Limits()
        limits.connectedCallsPerDay = 3
        var machine = PermissionStateMachine(limits: limits)
        machine.grant(permanent: true, at: t0)
        for index in 0..<3 { machine.recordConnected(at: t0 + Double(index) * hour) }
        #expect(machine.callRefusal(at: t0 + 3 * hour) == 138012)
        #expect(machine.nextCallAllowed(at: t0 + 3 * hour) == t0 + day)
        #expect(machine.snapshot(at: t0 + 3 * hour).canStartCall == false)
        #expect(machine.callRefusal(at: t0 + day) == nil)
    }

    @Test func metaDefaults() {
        let limits = PermissionStateMachine.Limits()
        #expect(limits.requestsPerDay == 1 && limits.requestsPerWeek == 2)
        #expect(limits.connectedCallsPerDay == 100 && limits.unansweredBeforeRevoke == 4)
        #expect(limits.temporaryDuration == 7 * 86_400)
    }
}
