// Users Meta names by BSUID and username: how they appear on SIP, how a phone
// dials one back, how routing treats them, and the permission cache by any identifier.

import Config
import Foundation
import TestSupport
import Testing
@testable import CallControl

private let bsuid = "US.13491208655302741918"
private let parent = "US.ENT.11815799212886844830"

private func invite(_ dialled: String, from origin: SIPOrigin = .user("alice")) -> IncomingInvite {
    IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: dialled, sdpOffer: "o")
}

@Suite("WhatsApp user identity")
struct WhatsAppUserIdentityTests {
    let usernameOnly = WhatsAppUser(bsuid: bsuid, parentBSUID: parent, username: "bob.example", profileName: "Bob")

    @Test("a user with a number is shown by number and profile name; the BSUID goes in a header")
    func numberFirst() {
        let user = WhatsAppUser(phone: "+447700900123", bsuid: bsuid, username: "alice_1", profileName: "Alice")
        #expect(user.sipUser == "+447700900123" && user.sipDisplayName == "Alice")
        #expect(user.sipHeaders == [SIPHeaderField(name: "X-WA-BSUID", value: bsuid),
                                    SIPHeaderField(name: "X-WA-Username", value: "alice_1")])
    }

    @Test("a username-only user is shown by BSUID and username, with every X-WA header")
    func bsuidOnly() {
        #expect(usernameOnly.sipUser == bsuid && usernameOnly.sipDisplayName == "bob.example")
        #expect(usernameOnly.sipHeaders.map(\.name) == ["X-WA-BSUID", "X-WA-Parent-BSUID", "X-WA-Username"])
        #expect(WhatsAppUser(bsuid: bsuid, profileName: "Bob").sipDisplayName == "Bob")
        #expect(WhatsAppUser(parentBSUID: parent).sipUser == parent)
    }

    @Test("a dialled BSUID is that user; numbers and junk are not")
    func dialledBack() {
        #expect(WhatsAppUser(dialledBSUID: bsuid) == WhatsAppUser(bsuid: bsuid))
        #expect(WhatsAppUser(dialledBSUID: "us.13491208655302741918") == WhatsAppUser(bsuid: bsuid))
        #expect(WhatsAppUser(dialledBSUID: parent) == WhatsAppUser(parentBSUID: parent))
        for text in ["+447700900123", "07700900123", "*43", "US.", "US.1349;x=1"] {
            #expect(WhatsAppUser(dialledBSUID: text) == nil, "\(text)")
        }
    }

    @Test("admission: a BSUID is admitted for a policy allowing every number, refused for a narrower one")
    func admission() throws {
        let admission = Admission(config: .test(maxCalls: 3))
        let admitted = try admission.admit(invite(bsuid), activeCalls: 0, activeCallsByOwner: [:], draining: false).get()
        #expect(admitted.user == WhatsAppUser(bsuid: bsuid) && admitted.owners == ["user:alice"])
        guard case .failure(let refusal) = admission.admit(invite(bsuid, from: .user("carol")), activeCalls: 0,
                                                           activeCallsByOwner: [:], draining: false) else {
            Issue.record("carol may call +44 only")
            return
        }
        #expect(refusal.response.status == 403)
        guard case .failure(let limit) = admission.admit(invite(bsuid), activeCalls: 0,
                                                         activeCallsByOwner: ["user:alice": 2], draining: false) else {
            Issue.record("alice is at her limit")
            return
        }
        #expect(limit.response.status == 486)
    }

    @Test("a trunk's dialled BSUID is not rewritten by inbound_strip/prefix (and pbx allows +49 only)")
    func trunkDialsBSUID() {
        guard case .failure(let refusal) = Admission(config: .test()).admit(
            invite(bsuid, from: .trunk("pbx")), activeCalls: 0, activeCallsByOwner: [:], draining: false) else {
            Issue.record("pbx may call +49 only")
            return
        }
        #expect(refusal.response.warning?.contains(bsuid) == true)
    }

    @Test("routing: a BSUID caller rings the default target; a trunk gets the BSUID unrewritten")
    func routing() {
        let contacts: (String) -> [String] = { ["alice": ["sip:a1"]][$0] ?? [] }
        let plan = InboundRouter(config: .test()).plan(forCaller: bsuid, contacts: contacts, isAtLimit: { _ in false })
        #expect(plan.targetName == "user:alice" && plan.stages.first?.callerNumber == bsuid)
        var config = GatewayConfig.test()
        config.inbound.target = .trunk("pbx")
        let trunk = InboundRouter(config: config).plan(forCaller: bsuid, contacts: contacts, isAtLimit: { _ in false })
        #expect(trunk.stages == [RingStage(targets: [.trunk("pbx")], callerNumber: bsuid)])
    }
}

@Suite("Permission cache by every identifier")
struct PermissionCacheIdentifierTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let permanent = CallPermission(status: .permanent, expiration: nil)

    @Test("learned by number, found by BSUID once a reply names both; and by parent and username")
    func linkedByReply() {
        var cache = PermissionCache()
        cache.store(permanent, for: .phone("+447700900123"), now: now)
        #expect(cache.lookup(WhatsAppUser(bsuid: bsuid), now: now) == nil)
        let both = WhatsAppUser(phone: "+447700900123", bsuid: bsuid, parentBSUID: parent, username: "Bob.Example")
        #expect(cache.lookup(both, now: now)?.status == .permanent, "found by number, links the rest")
        #expect(cache.lookup(WhatsAppUser(bsuid: bsuid), now: now)?.status == .permanent)
        #expect(cache.lookup(WhatsAppUser(parentBSUID: parent), now: now)?.status == .permanent)
        #expect(cache.lookup(WhatsAppUser(username: "bob.example"), now: now)?.status == .permanent)
        #expect(cache.count == 1)
    }

    @Test("a reply by BSUID only is found for a call by BSUID; a reject by any identifier forgets all")
    func replyByBSUID() {
        var cache = PermissionCache()
        cache.applyReply(user: WhatsAppUser(bsuid: bsuid, username: "bob"), accepted: true, permanent: false,
                         expiration: now.addingTimeInterval(60), now: now)
        #expect(cache.lookup(WhatsAppUser(bsuid: bsuid), now: now)?.status == .temporary)
        cache.store(permanent, for: WhatsAppUser(phone: "+1555", bsuid: bsuid), now: now)
        #expect(cache.lookup(WhatsAppUser(username: "BOB"), now: now)?.status == .permanent, "keys kept on replace")
        cache.applyReply(user: .phone("+1555"), accepted: false, permanent: false, expiration: nil, now: now)
        #expect(cache.lookup(WhatsAppUser(bsuid: bsuid), now: now) == nil && cache.count == 0)
    }

    @Test("bounded: past capacity the oldest user is evicted with all its identifiers")
    func bounded() {
        var cache = PermissionCache(capacity: 3)
        for index in 0..<5 {
            cache.store(permanent, for: WhatsAppUser(phone: "+1555000\(index)", bsuid: "US.\(index)"), now: now)
        }
        #expect(cache.count == 3)
        #expect(cache.lookup(WhatsAppUser(bsuid: "US.0"), now: now) == nil)
        #expect(cache.lookup(.phone("+15550001"), now: now) == nil)
        #expect(cache.lookup(WhatsAppUser(bsuid: "US.4"), now: now)?.status == .permanent)
    }
}

@Suite("WhatsApp user directory")
struct WhatsAppUserDirectoryTests {
    @Test("a user learnt from a call completes a later call by BSUID; later webhooks add, never erase")
    func completes() {
        var directory = WhatsAppUserDirectory(capacity: 2)
        directory.learn(WhatsAppUser(bsuid: bsuid, username: "bob", profileName: "Bob"))
        directory.learn(WhatsAppUser(bsuid: bsuid, parentBSUID: parent))
        #expect(directory.complete(WhatsAppUser(bsuid: bsuid))
            == WhatsAppUser(bsuid: bsuid, parentBSUID: parent, username: "bob", profileName: "Bob"))
        #expect(directory.complete(.phone("+1555")) == .phone("+1555"))
        directory.learn(.phone("+1556"))
        directory.learn(.phone("+1557"))
        #expect(directory.count == 2 && directory.complete(WhatsAppUser(bsuid: bsuid)) == WhatsAppUser(bsuid: bsuid))
    }
}
