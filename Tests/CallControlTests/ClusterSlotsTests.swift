// Limits across the nodes of a cluster: call control takes a slot per limit in
// the shared store before admitting a call (the store's side is in StoreTests).

import Config
import Synchronization
import TestSupport
import Testing
@testable import CallControl

/// The shared slots as the test sets them: scopes that are full, what was asked,
/// and a gate that holds a reservation until the test opens it.
private final class FakeSlots: CallSlots, Sendable {
    let full = Mutex<Set<String>>([])
    let asked = Mutex<[[CallSlotRequest]]>([])
    let released = Mutex<[CallID]>([])
    let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    let holds = Mutex(false)
    let changed = ChangeSignal()

    func reserve(call: CallID, requests: [CallSlotRequest]) async -> String? {
        asked.withLock { $0.append(requests) }
        if holds.withLock({ $0 }) {
            await withCheckedContinuation { continuation in
                gate.withLock { $0 = continuation }
                changed.notify()
            }
        }
        let full = self.full.withLock { $0 }
        return requests.first { full.contains($0.scope) }?.scope
    }

    func release(call: CallID) async {
        released.withLock { $0.append(call) }
    }

    var waiting: Bool { gate.withLock { $0 != nil } }

    func open() {
        holds.withLock { $0 = false }
        gate.withLock { $0?.resume(); $0 = nil }
    }
}

@Suite("Cluster-wide call slots")
struct ClusterSlotsTests {
    @Test("an outbound call asks for its number's and its caller's slots; a full number gets 503 with Retry-After")
    func numberFull() async throws {
        let slots = FakeSlots()
        let h = Harness(slots: slots)
        let admitted = await h.invite()
        #expect(h.sip.lastResponse(admitted)?.status != 503)
        let asked = try #require(slots.asked.withLock { $0.first })
        #expect(asked.map(\.scope).sorted() == ["number:\(GatewayConfig.test().whatsapp.phoneNumberID)", "owner:user:alice"])
        slots.full.withLock { $0 = ["number:\(GatewayConfig.test().whatsapp.phoneNumberID)"] }
        let refused = await h.invite()
        #expect(h.sip.lastResponse(refused)?.status == 503)
        #expect(h.sip.lastResponse(refused)?.retryAfter != nil)
    }

    @Test("a caller full across the cluster gets 486")
    func callerFull() async {
        let slots = FakeSlots()
        slots.full.withLock { $0 = ["owner:user:alice"] }
        let h = Harness(slots: slots)
        let refused = await h.invite()
        #expect(h.sip.lastResponse(refused)?.status == 486)
        #expect(await h.control.activeCallCount == 0)
    }

    @Test("a CANCEL that arrives while the slots are being taken ends the call once it exists")
    func cancelDuringReservation() async throws {
        let slots = FakeSlots()
        slots.holds.withLock { $0 = true }
        let h = Harness(slots: slots)
        let leg = SIPLegID("held-1")
        let invite = Task {
            await h.control.handleIncomingInvite(IncomingInvite(leg: leg, sipCallID: "sip-held", origin: .user("alice"),
                                                                dialled: "+14085551234", sdpOffer: "offer"))
        }
        #expect(await slots.changed.wait(until: { slots.waiting }), "the reservation started")
        await h.control.handleSIP(.cancelled, on: leg)
        slots.open()
        await invite.value
        await h.settle()
        #expect(await h.control.activeCallCount == 0)
        #expect(h.sip.lastResponse(leg)?.status == 487, "the held CANCEL reached the call")
    }

    @Test("a WhatsApp user's call to a full number is rejected through Meta")
    func inboundFull() async {
        let slots = FakeSlots()
        slots.full.withLock { $0 = ["number:\(GatewayConfig.test().whatsapp.phoneNumberID)"] }
        let h = Harness(slots: slots)
        _ = await h.inboundCall()
        #expect(h.journal.contains("wa.reject wacid.in1"))
    }
}
