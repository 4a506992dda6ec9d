// A WhatsApp user Meta names only by BSUID and username, through the SIP
// adapter and call control: what the INVITE carries, and dialling it back.

import CallControl
import Config
import SIP
import TestSupport
import Testing

@Suite("Gateway: WhatsApp users without a number")
struct BSUIDCallerTests {
    static let bsuid = "US.13491208655302741918"
    static let user = WhatsAppUser(bsuid: bsuid, parentBSUID: "US.ENT.11815799212886844830",
                                   username: "bob.example", profileName: "Bob Example")

    @Test("the INVITE shows the BSUID with the username as display name, and the X-WA headers")
    func inviteIdentity() async throws {
        let harness = await GatewayHarness(config: LocalAddressTests.config())
        await harness.webhook(.userCall(wacid: WACID("w1"), caller: Self.user, number: nil, offer: "o"))
        let invite = try #require(harness.stack.invites.first?.call)
        #expect(invite.from == "\"bob.example\" <sip:\(Self.bsuid)@203.0.113.5>")
        #expect(invite.headers == [
            "P-Asserted-Identity: \"bob.example\" <sip:\(Self.bsuid)@203.0.113.5>",
            "X-WA-BSUID: \(Self.bsuid)", "X-WA-Parent-BSUID: US.ENT.11815799212886844830",
            "X-WA-Username: bob.example",
        ])
        let start = harness.records.events.current.compactMap { event -> CallStart? in
            if case .started(let start) = event.1 { start } else { nil }
        }.first
        #expect(start?.user == Self.user && start?.from == Self.bsuid)
    }

    @Test("a caller with a number keeps number and profile name, and the trunk rewrite applies to it only")
    func numberCallerToTrunk() async throws {
        let harness = await GatewayHarness(config: .rewriting())
        let caller = WhatsAppUser(phone: "+4915112345678", bsuid: Self.bsuid, profileName: "Zoe")
        await harness.webhook(.userCall(wacid: WACID("w2"), caller: caller, number: nil, offer: "o"))
        let invite = try #require(harness.stack.invites.first?.call)
        #expect(invite.from.hasPrefix("\"Zoe\" <sip:004915112345678@"))
        #expect(invite.headers.contains("X-WA-BSUID: \(Self.bsuid)"))
    }

    @Test("a header value that is not SIP-safe is cleaned by the SIP layer, never written raw")
    func hostileValue() async throws {
        let harness = await GatewayHarness(config: LocalAddressTests.config())
        let caller = WhatsAppUser(phone: "+4915112345678", username: "x\r\nX-Evil: 1")
        await harness.webhook(.userCall(wacid: WACID("w3"), caller: caller, number: nil, offer: "o"))
        let invite = try #require(harness.stack.invites.first?.call)
        #expect(invite.headers.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
        #expect(invite.headers.last == "X-WA-Username: xX-Evil: 1")
    }

    @Test("a phone dialling the BSUID it displayed reaches the same user, recorded with every identifier")
    func dialBack() async throws {
        let harness = await GatewayHarness(config: .test())
        await harness.webhook(.permissionReply(user: Self.user, accepted: true, permanent: true, expiration: nil))
        await harness.invite(Self.bsuid)
        #expect(harness.journal.matching("wa.permission").isEmpty, "the reply's permission is found by BSUID")
        #expect(harness.journal.matching("wa.connect").first?.hasPrefix("wa.connect \(Self.bsuid) ") == true)
        let start = harness.records.events.current.compactMap { event -> CallStart? in
            if case .started(let start) = event.1 { start } else { nil }
        }.first
        #expect(start?.user == Self.user && start?.to == Self.bsuid)
    }

    @Test("a BSUID nobody has heard of is asked about by BSUID")
    func unknownBSUID() async throws {
        let harness = await GatewayHarness(config: .test())
        await harness.invite(Self.bsuid)
        #expect(harness.journal.matching("wa.permission").first == "wa.permission \(Self.bsuid)")
    }
}
