// Where a transfer target name goes, from the configuration alone.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("Transfer target resolver")
struct TransferTargetResolverTests {
    let resolver = TransferTargetResolver(config: .test(), extensionTrunk: "pbx")

    @Test("users, then groups, then trunks; WhatsApp numbers and BSUIDs 403; extensions to extension_trunk")
    func classify() {
        #expect(resolver.classify("bob") == .target(.user("bob"), requestUser: nil))
        #expect(resolver.classify("sales") == .target(.group("sales"), requestUser: nil))
        #expect(resolver.classify("pbx") == .target(.trunk("pbx"), requestUser: nil))
        #expect(resolver.classify("+447700900123").status == 403)
        #expect(resolver.classify("00447700900123").status == 403)
        #expect(resolver.classify("US.13491208655302741918").status == 403)
        #expect(resolver.classify("2001") == .target(.trunk("pbx"), requestUser: "2001"))
        #expect(resolver.classify("*72#") == .target(.trunk("pbx"), requestUser: "*72#"))
        #expect(resolver.classify(nil).status == 400)
        #expect(resolver.classify(String(repeating: "9", count: 200)).status == 400)
    }

    @Test("without extension_trunk an unknown name is 404; hostile text never becomes a Request-URI user")
    func refusals() {
        let bare = TransferTargetResolver(config: .test(), extensionTrunk: nil)
        #expect(bare.classify("2001").status == 404)
        #expect(resolver.classify("2001@evil;x=1").status == 404)
        #expect(resolver.classify("a\r\nVia: x").status == 404)
    }

    @Test("a plan rings what an inbound call to the target rings, minus users at their limit")
    func plan() {
        let contacts = ["alice": ["sip:a@1"], "bob": ["sip:b@2"]]
        let plan = resolver.plan(.group("sales"), requestUser: nil, caller: "+14085550001",
                                 contacts: { contacts[$0] ?? [] }, isAtLimit: { $0 == "user:alice" })
        #expect(plan.stages.map(\.targets) == [[.contact(user: "bob", uri: "sip:b@2")]])
        #expect(plan.owners == ["user:bob"])
        #expect(plan.label == "group:sales")
        #expect(plan.target == .group("sales"))
    }
}

extension TransferTargetResolver.Resolution {
    /// The refusal status, if refused.
    var status: Int? {
        if case .refused(let status, _) = self { return status }
        return nil
    }
}
