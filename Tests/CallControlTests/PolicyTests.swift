// Admission (destination policy, limits), the permission cache and inbound routing.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

private func invite(_ dialled: String, from origin: SIPOrigin = .user("alice")) -> IncomingInvite {
    IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: dialled, sdpOffer: "o")
}

@Suite("Admission")
struct AdmissionTests {
    let admission = Admission(config: .test(maxCalls: 3))

    private func status(_ invite: IncomingInvite, active: Int = 0, byOwner: [String: Int] = [:],
                        draining: Bool = false) -> Int? {
        if case .failure(let refusal) = admission.admit(invite, activeCalls: active, activeCallsByOwner: byOwner,
                                                         draining: draining) {
            return refusal.response.status
        }
        return nil
    }

    @Test("A1 dial plan: +E164, 00 international, national with default country")
    func normalisation() throws {
        for (dialled, expected) in [("+14085551234", "+14085551234"), ("0014085551234", "+14085551234"),
                                    ("07700900123", "+447700900123")] {
            let result = try admission.admit(invite(dialled), activeCalls: 0, activeCallsByOwner: [:], draining: false).get()
            #expect(result.user == .phone(expected))
        }
    }

    @Test("A2 not a number → 404; denied destination → 403; user policy → 403")
    func refusals() {
        #expect(status(invite("12")) == 404)
        #expect(status(invite("+19005550000")) == 403)
        #expect(status(invite("+14085551234", from: .user("carol"))) == 403)
        #expect(status(invite("+447700900123", from: .user("carol"))) == nil)
        #expect(status(invite("+14085551234", from: .user("mallory"))) == 403)
    }

    @Test("A3 trunk: inbound strip/prefix then policy")
    func trunk() throws {
        let result = try admission.admit(invite("9491701234567", from: .trunk("pbx")), activeCalls: 0,
                                         activeCallsByOwner: [:], draining: false).get()
        #expect(result.user.phone == "+491701234567")
        #expect(status(invite("914085551234", from: .trunk("pbx"))) == 403)
    }

    @Test("A4 limits: per user → 486, per trunk → 486, gateway → 503; draining → 503")
    func limits() {
        #expect(status(invite("+14085551234"), byOwner: ["user:alice": 2]) == 486)
        #expect(status(invite("+14085551234"), byOwner: ["user:alice": 1]) == nil)
        #expect(status(invite("9491701234567", from: .trunk("pbx")), byOwner: ["trunk:pbx": 1]) == 486)
        #expect(status(invite("+14085551234"), active: 3) == 503)
        #expect(status(invite("+14085551234"), draining: true) == 503)
        #expect(admission.admitInbound(activeCalls: 3, draining: false) == .limit)
        #expect(admission.admitInbound(activeCalls: 0, draining: true) == .shutdown)
        #expect(admission.admitInbound(activeCalls: 0, draining: false) == nil)
    }
}

@Suite("Permission cache")
struct PermissionCacheTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("P1 permanent is kept forever, until invalidated")
    func permanent() {
        var cache = PermissionCache()
        cache.store(CallPermission(status: .permanent), for: .phone("+1"), now: now)
        #expect(cache.lookup(.phone("+1"), now: now.addingTimeInterval(86400 * 365))?.status == .permanent)
        cache.invalidate(.phone("+1"))
        #expect(cache.lookup(.phone("+1"), now: now) == nil)
    }

    @Test("P2 temporary is kept until its expiry; without expiry for a short while")
    func temporary() {
        var cache = PermissionCache(temporaryWithoutExpiry: .seconds(300))
        cache.store(CallPermission(status: .temporary, expiration: now.addingTimeInterval(100)), for: .phone("+1"), now: now)
        #expect(cache.lookup(.phone("+1"), now: now.addingTimeInterval(99)) != nil)
        #expect(cache.lookup(.phone("+1"), now: now.addingTimeInterval(100)) == nil)
        cache.store(CallPermission(status: .temporary), for: .phone("+2"), now: now)
        #expect(cache.lookup(.phone("+2"), now: now.addingTimeInterval(299)) != nil)
        #expect(cache.lookup(.phone("+2"), now: now.addingTimeInterval(301)) == nil)
        cache.store(CallPermission(status: .temporary, expiration: now.addingTimeInterval(-1)), for: .phone("+3"), now: now)
        #expect(cache.lookup(.phone("+3"), now: now) == nil)
    }

    @Test("P3 no_permission is never cached (re-checked every call)")
    func none() {
        var cache = PermissionCache()
        cache.store(CallPermission(status: .permanent), for: .phone("+1"), now: now)
        cache.store(CallPermission(status: .noPermission), for: .phone("+1"), now: now)
        #expect(cache.lookup(.phone("+1"), now: now) == nil)
        #expect(cache.count == 0)
    }

    @Test("P4 permission replies: accept stores (temporary or permanent), reject forgets")
    func replies() {
        var cache = PermissionCache()
        cache.applyReply(user: .phone("+1"), accepted: true, permanent: false, expiration: now.addingTimeInterval(60), now: now)
        #expect(cache.lookup(.phone("+1"), now: now)?.status == .temporary)
        cache.applyReply(user: .phone("+1"), accepted: true, permanent: true, expiration: nil, now: now)
        #expect(cache.lookup(.phone("+1"), now: now.addingTimeInterval(1e6))?.status == .permanent)
        cache.applyReply(user: .phone("+1"), accepted: false, permanent: false, expiration: nil, now: now)
        #expect(cache.lookup(.phone("+1"), now: now) == nil)
    }
}

@Suite("Inbound routing")
struct InboundRouterTests {
    let router = InboundRouter(config: .test())
    let contacts: (String) -> [String] = { ["alice": ["sip:a1", "sip:a2"], "bob": ["sip:b1"]][$0] ?? [] }

    @Test("R1 default target: a user's contacts in parallel")
    func user() {
        let plan = router.plan(forCaller: "+14085550001", contacts: contacts, isAtLimit: { _ in false })
        #expect(plan.stages == [RingStage(targets: [.contact(user: "alice", uri: "sip:a1"),
                                                    .contact(user: "alice", uri: "sip:a2")],
                                          callerNumber: "+14085550001")])
        #expect(plan.targetName == "user:alice")
    }

    @Test("R2 simultaneous group: one stage with every member's contacts")
    func simultaneous() {
        let plan = router.plan(forCaller: "+447700900001", contacts: contacts, isAtLimit: { _ in false })
        #expect(plan.stages.count == 1)
        #expect(plan.stages[0].targets.count == 3)
    }

    @Test("R3 sequential group: one stage per member with the member timeout")
    func sequential() {
        let plan = router.plan(forCaller: "+33612345678", contacts: contacts, isAtLimit: { _ in false })
        #expect(plan.stages.count == 2)
        #expect(plan.stages.allSatisfy { $0.timeout == .seconds(10) })
    }

    @Test("R4 trunk: caller rewritten by outbound strip/prefix")
    func trunk() {
        let plan = router.plan(forCaller: "+491701234567", contacts: contacts, isAtLimit: { _ in false })
        #expect(plan.stages == [RingStage(targets: [.trunk("pbx")], callerNumber: "0491701234567")])
    }

    @Test("R5 unregistered, busy (at limit) or unknown users are skipped; nothing left → empty plan")
    func skipped() {
        let busy = router.plan(forCaller: "+447700900001", contacts: contacts, isAtLimit: { $0 == "user:alice" })
        #expect(busy.stages.first?.targets == [.contact(user: "bob", uri: "sip:b1")])
        #expect(router.plan(forCaller: "+14085550001", contacts: { _ in [] }, isAtLimit: { _ in false }).stages.isEmpty)
        #expect(router.plan(forCaller: "+79001234567", contacts: contacts, isAtLimit: { _ in false }).stages.isEmpty)
        var config = GatewayConfig.test()
        config.inbound.target = nil
        config.inbound.routes = []
        #expect(InboundRouter(config: config).plan(forCaller: "+1", contacts: contacts, isAtLimit: { _ in false })
            .stages.isEmpty)
    }
}
