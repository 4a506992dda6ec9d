import CallControl
import Logging
import TestSupport
import Testing

/// What `/readyz` reads from call control: drain, and the Graph breaker asked without moving it.
@Suite("Operator readiness")
struct OperatorReadinessTests {
    @Test("Meta is unavailable while the breaker is open; asking does not move it; after the open time it is available")
    func breaker() async {
        let clock = ManualClock()
        let circuit = GraphCircuit(failureThreshold: 1, openTime: .seconds(30), now: { clock.now },
                                   logger: Logger(label: "test"))
        let h = Harness(circuit: circuit)
        #expect(await h.control.isGraphUnavailable == false)
        circuit.record(.transport("down"))
        #expect(await h.control.isGraphUnavailable)
        #expect(await h.control.isGraphUnavailable)
        #expect(circuit.state == .open)
        await clock.advance(by: .seconds(30))
        #expect(await h.control.isGraphUnavailable == false)
        #expect(circuit.state == .open, "a probe is left for the next call")
    }

    @Test("drain can be undone; live calls are untouched either way")
    func drain() async {
        let h = Harness()
        #expect(await h.control.setDraining(true))
        #expect(await h.control.isDraining)
        let leg = await h.invite()
        #expect(h.sip.lastResponse(leg)?.status == 503)
        #expect(await h.control.setDraining(false) == false)
        #expect(await h.control.hangUp(CallID("nope")) == false)
    }
}
