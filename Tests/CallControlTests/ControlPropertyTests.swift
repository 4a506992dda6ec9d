// Property-style tests through the actor: several calls at once, webhooks
// duplicated, reordered and mixed with unknown ones, then a shutdown.

import TestSupport
import Testing
@testable import CallControl

@Suite("Actor properties")
struct ControlPropertyTests {
    @Test("PR3 shuffled webhooks and SIP events over several calls: every call ends once on both legs",
          arguments: 0..<60)
    func shuffled(seed: Int) async {
        var random = SplitMix64(seed: UInt64(seed) &+ 1000)
        let h = Harness()
        var outbound: [(leg: SIPLegID, call: String, wacid: WACID)] = []
        for number in 1...2 {
            let leg = await h.invite("+1408555000\(number)", from: number == 1 ? .user("alice") : .user("bob"))
            let context = await h.control.summaries().last!.context
            outbound.append((leg, context.callID.rawValue, context.wacid!))
        }
        var inboundCalls: [String] = []
        for number in 1...2 {
            if let call = await h.inboundCall("wacid.in\(number)", from: "1408555100\(number)") { inboundCalls.append(call) }
        }
        var events: [@Sendable () async -> Void] = []
        let control = h.control
        for call in outbound {
            let (w, c) = (call.wacid, call.call)
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                events.append { await control.handleWebhook(.status(wacid: w, .ringing, opaque: c)) }
                events.append { await control.handleWebhook(.status(wacid: w, .accepted, opaque: nil)) }
                events.append { await control.handleWebhook(.answer(wacid: w, sdp: "a", opaque: c)) }
                events.append { await control.handleMedia(.connected, for: CallID(c)) }
            }
            if Bool.random(using: &random) {
                events.append { await control.handleWebhook(.terminate(wacid: w, completed: true, duration: 1, errors: [], opaque: nil)) }
            }
            if Bool.random(using: &random) { events.append { await control.handleSIP(.cancelled, on: call.leg) } }
            if Bool.random(using: &random) { events.append { await control.handleSIP(.bye, on: call.leg) } }
            if Int.random(in: 0..<4, using: &random) == 0 {
                events.append { await control.handleWebhook(.status(wacid: w, .rejected, opaque: c)) }
            }
        }
        for (index, call) in inboundCalls.enumerated() {
            let leg = SIPLegID("\(call)/leg1")
            let w = WACID("wacid.in\(index + 1)")
            events.append { await control.handleSIP(.progress(status: 180, sdp: nil), on: leg) }
            if Bool.random(using: &random) { events.append { await control.handleSIP(.answered(sdp: "p", sipCallID: "x"), on: leg) } }
            if Bool.random(using: &random) { events.append { await control.handleSIP(.failed(status: 486, reason: nil), on: leg) } }
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                events.append { await control.handleWebhook(.terminate(wacid: w, completed: false, duration: nil, errors: [], opaque: nil)) }
            }
            events.append { await control.handleWebhook(.userCall(wacid: w, caller: .phone("1"), number: nil, offer: "o")) }
        }
        events.append { await control.handleWebhook(.status(wacid: WACID("wacid.unknown"), .accepted, opaque: nil)) }
        events.append { await control.handleWebhook(.terminate(wacid: WACID("wacid.gone"), completed: true, duration: 1, errors: [], opaque: nil)) }
        events.shuffle(using: &random)
        for event in events {
            await event()
            await h.settle()
        }
        await control.endAllCalls()
        await h.settle()
        await h.advance(.seconds(120))
        #expect(await control.summaries().isEmpty, "seed \(seed)")
        for call in outbound {
            #expect(h.sip.finals(call.leg).count == 1, "seed \(seed): \(call.leg) finals")
            let ends = h.journal.count("wa.terminate \(call.wacid)") + h.journal.count("wa.reject \(call.wacid)")
            #expect(ends <= 1, "seed \(seed): \(call.wacid) ended \(ends) times")
            #expect(h.journal.count("sip.bye \(call.leg)") <= 1)
            #expect(h.records.endings(CallID(call.call)).count == 1)
        }
        for (index, call) in inboundCalls.enumerated() {
            let w = "wacid.in\(index + 1)"
            #expect(h.journal.count("wa.terminate \(w)") + h.journal.count("wa.reject \(w)") <= 1, "seed \(seed)")
            #expect(h.journal.count("sip.cancel \(call)/leg1") <= 1)
            #expect(h.journal.count("sip.invite \(call)/leg1") == 1)
            #expect(h.records.endings(CallID(call)).count == 1)
        }
        #expect(h.journal.count("wa.terminate wacid.unknown") == 1)
        #expect(h.journal.count("wacid.gone") == 0)
        #expect(h.clock.pendingTimers == 0, "seed \(seed): timers left")
    }
}
