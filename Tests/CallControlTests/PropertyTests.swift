// Property-style tests: random interleavings of duplicated and reordered
// events never leave a leg dangling nor end a leg twice.

import TestSupport
import Testing
@testable import CallControl

/// Drives one machine with random events, answering its requests in random order.
struct RandomDriver {
    var machine: CallStateMachine
    var random: SplitMix64
    var actions: [CallControlAction] = []
    var pending: [CallEvent] = []
    var legs: [SIPLegID] = []
    var inbound: [CallEvent] = []
    /// Every event with the actions it produced, in order.
    var steps: [(event: CallEvent, actions: [CallControlAction])] = []

    mutating func feed(_ event: CallEvent) {
        inbound.append(event)
        let out = machine.handle(event)
        steps.append((event, out))
        absorb(out)
    }

    /// True when WhatsApp ended the call (terminate webhook, REJECTED) before any terminate or reject was sent.
    func whatsAppEndedFirst() -> Bool {
        for step in steps {
            if step.actions.contains(where: \.endsWhatsAppLeg) { return false }
            switch step.event {
            case .webhook(.terminate), .webhook(.status(_, .rejected, _)): return true
            default: continue
            }
        }
        return false
    }

    /// The number of terminate/reject actions after WhatsApp itself had ended the call.
    func endsAfterWhatsAppEnded() -> Int {
        var ended = false
        var count = 0
        for step in steps {
            if ended { count += step.actions.filter(\.endsWhatsAppLeg).count }
            switch step.event {
            case .webhook(.terminate), .webhook(.status(_, .rejected, _)):
                if !ended && !machineHadEndedBefore(step) { ended = true }
            default: break
            }
        }
        return count
    }

    private func machineHadEndedBefore(_ step: (event: CallEvent, actions: [CallControlAction])) -> Bool {
        // A terminate webhook handled while the call was still live produces the ending record.
        !step.actions.contains { if case .record(.ended) = $0 { return true }; return false }
    }

    mutating func absorb(_ out: [CallControlAction]) {
        actions += out
        for action in out {
            switch action {
            case .checkPermission:
                pending.append([CallEvent.permissionChecked(CallPermission(status: .permanent)),
                                .permissionChecked(CallPermission(status: .noPermission)),
                                .permissionCheckFailed(.transport("x"))].randomElement(using: &random)!)
            case .openOutboundMedia:
                pending.append(Bool.random(using: &random) || Bool.random(using: &random)
                               ? .outboundMediaOpened(session) : .mediaOpenFailed(MediaFailure(.resources, "x")))
            case .openInboundMedia:
                pending.append(Bool.random(using: &random) || Bool.random(using: &random)
                               ? .inboundMediaOpened(inSession) : .mediaOpenFailed(MediaFailure(.resources, "x")))
            case .connect:
                pending.append([CallEvent.connectSucceeded(wacid), .connectSucceeded(wacid), .connectSucceeded(wacid),
                                .connectFailed(.timeout(outcomeUnknown: true)),
                                .connectFailed(.graph(code: 138003, httpStatus: 400, message: "dup"))]
                    .randomElement(using: &random)!)
            case .accept:
                pending.append(.whatsAppResult(.accept, Int.random(in: 0..<4, using: &random) == 0
                                               ? .transport("x") : nil))
            case .placeCall(let call):
                legs.append(call.leg)
            default:
                break
            }
        }
    }

    /// One random step: a pending result, or a random (possibly duplicated) outside event.
    mutating func step(_ outside: [CallEvent]) {
        if !pending.isEmpty, Bool.random(using: &random) {
            feed(pending.remove(at: Int.random(in: 0..<pending.count, using: &random)))
        } else {
            feed(outside.randomElement(using: &random)!)
        }
    }

    /// Delivers every outstanding result, then shuts down and delivers again.
    mutating func finish() {
        while !pending.isEmpty { feed(pending.removeFirst()) }
        feed(.shutdown)
        while !pending.isEmpty { feed(pending.removeFirst()) }
    }
}

private func count(_ actions: [CallControlAction], _ predicate: (CallControlAction) -> Bool) -> Int { actions.filter(predicate).count }

@Suite("Properties")
struct PropertyTests {
    static let outsideOutbound: [CallEvent] = [
        .webhook(.status(wacid: wacid, .ringing, opaque: "c-1")), .webhook(.status(wacid: wacid, .accepted, opaque: nil)),
        .webhook(.status(wacid: wacid, .rejected, opaque: nil)), .webhook(.answer(wacid: wacid, sdp: "a", opaque: nil)),
        .webhook(.answer(wacid: wacid, sdp: "a", opaque: nil)),
        .webhook(.terminate(wacid: wacid, completed: false, duration: nil, errors: [], opaque: nil)),
        .sip(inLeg, .cancelled), .sip(inLeg, .bye), .sip(inLeg, .acknowledged(sdp: nil)),
        .sip(inLeg, .failed(status: 408, reason: nil)), .media(.connected), .media(.connected), .media(.failed("x")),
        .timer(.answerTimeout), .timer(.mediaSetup), .sip(inLeg, .dtmf(DTMFDigit("1"))),
    ]

    @Test("PR1 outbound: any interleaving ends both legs exactly once", arguments: 0..<400)
    func outboundInterleavings(seed: Int) {
        let invite = IncomingInvite(leg: inLeg, sipCallID: "s", origin: .user("alice"), dialled: user.address, sdpOffer: "o")
        var machine = CallStateMachine(id: CallID("c-1"), outbound: invite, user: user, settings: CallSettings())
        let start = machine.start()
        var driver = RandomDriver(machine: machine, random: SplitMix64(seed: UInt64(seed)))
        driver.absorb(start)
        for _ in 0..<Int.random(in: 1..<25, using: &driver.random) { driver.step(Self.outsideOutbound) }
        driver.finish()
        let a = driver.actions, e = driver.inbound
        let finals = a.compactMap { if case .respond(_, let r) = $0, r.status >= 200 { return r.status }; return nil }
        #expect(finals.count <= 1, "seed \(seed): finals \(finals)")
        let byes = count(a) { if case .hangUp = $0 { return true }; return false }
        #expect(byes <= 1 && (byes == 0 || finals == [200]), "seed \(seed)")
        // SIP leg closed: a non-2xx final, or our BYE, or the SIP side ended it.
        let sipSideEnded = e.contains { if case .sip(_, .cancelled) = $0 { return true }; if case .sip(_, .bye) = $0 { return finals == [200] }; if case .sip(_, .failed) = $0 { return true }; return false }
        #expect((finals.first.map { $0 >= 300 } ?? false) || byes == 1 || sipSideEnded, "seed \(seed): SIP leg dangling")
        // WhatsApp leg: terminated at most once; if a wacid exists and WhatsApp did not end it, it was terminated.
        let terminates = count(a) { $0.endsWhatsAppLeg }
        #expect(terminates <= 1, "seed \(seed): \(terminates) terminates")
        let created = e.contains { if case .connectSucceeded = $0 { return true }; return false }
        let whatsAppEnded = e.contains {
            if case .webhook(.terminate) = $0 { return true }
            if case .webhook(.status(_, .rejected, _)) = $0 { return true }
            return false
        }
        if created && !whatsAppEnded { #expect(terminates == 1, "seed \(seed): WhatsApp leg dangling") }
        if driver.whatsAppEndedFirst() {
            #expect(driver.endsAfterWhatsAppEnded() == 0, "seed \(seed): terminate after WhatsApp ended the call")
        }
        #expect(count(a) { if case .record(.ended) = $0 { return true }; return false } == 1)
        #expect(machine.armedTimers.isEmpty || driver.machine.armedTimers.isEmpty)
        #expect(driver.machine.isFinished, "seed \(seed)")
        #expect(count(a) { $0 == .closeMedia } >= (a.contains { if case .openOutboundMedia = $0 { return true }; return false } ? 1 : 0))
    }

    @Test("PR2 inbound: any interleaving ends every SIP leg and the WhatsApp leg exactly once", arguments: 0..<400)
    func inboundInterleavings(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 31)
        let stages = Int.random(in: 1...2, using: &random)
        var machine = CallStateMachine(id: CallID("c-2"), inbound: inWACID, caller: .phone("+4477001"),
                                       offer: "o", plan: plan(stages, timeout: stages > 1 ? .seconds(10) : nil),
                                       settings: CallSettings())
        let start = machine.start()
        var driver = RandomDriver(machine: machine, random: random)
        driver.absorb(start)
        for _ in 0..<Int.random(in: 1..<25, using: &driver.random) {
            var outside: [CallEvent] = [
                .webhook(.terminate(wacid: inWACID, completed: false, duration: nil, errors: [], opaque: nil)),
                .media(.failed("x")), .timer(.ringTimeout), .timer(.memberTimeout(stage: 0)), .media(.connected),
            ]
            for leg in driver.legs {
                outside += [.sip(leg, .progress(status: 180, sdp: nil)), .sip(leg, .answered(sdp: "p", sipCallID: "x")),
                            .sip(leg, .failed(status: 486, reason: nil)), .sip(leg, .bye)]
            }
            driver.step(outside)
        }
        driver.finish()
        let a = driver.actions, e = driver.inbound
        let rejects = count(a) { if case .reject = $0 { return true }; return false }
        let terminates = count(a) { if case .terminate = $0 { return true }; return false }
        let accepts = count(a) { if case .accept = $0 { return true }; return false }
        #expect(rejects + terminates <= 1, "seed \(seed): reject \(rejects) terminate \(terminates)")
        #expect(accepts <= 1)
        #expect(rejects == 0 || accepts == 0, "seed \(seed): reject after accept")
        let whatsAppEnded = e.contains { if case .webhook(.terminate) = $0 { return true }; return false }
        #expect(rejects + terminates == 1 || whatsAppEnded, "seed \(seed): WhatsApp leg dangling")
        for leg in driver.legs {
            #expect(legClosed(leg, actions: a, events: e), "seed \(seed): \(leg) dangling")
            #expect(count(a) { $0 == .cancel(leg, nil) } <= 1, "seed \(seed): \(leg) cancelled twice")
            let answers = e.filter { $0 == .sip(leg, .answered(sdp: "p", sipCallID: "x")) }.count
            #expect(count(a) { $0 == .hangUp(leg, nil) } <= answers)
        }
        #expect(count(a) { if case .record(.ended) = $0 { return true }; return false } == 1)
        #expect(driver.machine.isFinished && driver.machine.armedTimers.isEmpty)
    }

    /// Replays a leg's life: placed → (answered → established) → closed by CANCEL, failure, or BYE either way.
    private func legClosed(_ leg: SIPLegID, actions: [CallControlAction], events: [CallEvent]) -> Bool {
        let failed = events.contains { if case .sip(leg, .failed) = $0 { return true }; return false }
        let cancelled = actions.contains(.cancel(leg, nil))
        let answered = events.contains { if case .sip(leg, .answered) = $0 { return true }; return false }
        let byeSent = actions.contains(.hangUp(leg, nil))
        let byeReceived = events.contains(.sip(leg, .bye))
        if answered { return byeSent || byeReceived || failed }
        return failed || cancelled
    }
}
