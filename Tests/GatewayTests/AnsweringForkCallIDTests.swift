// The SIP Call-ID of an inbound WhatsApp call is the one of the fork that
// answered: the stack reports it with the fork's 2xx, and call control carries
// it into the call's log context and its record.

import CallControl
import Config
import Foundation
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: the answering fork's Call-ID")
struct AnsweringForkCallIDTests {
    @Test("an inbound call forked to two contacts records the Call-ID of the one that answered")
    func answeringForkCallID() async throws {
        let harness = await GatewayHarness()
        harness.register("bob", host: "192.0.2.21")
        harness.register("bob", host: "192.0.2.22")
        let wacid = WACID("wacid.in1")
        await harness.webhook(.userCall(wacid: wacid, caller: .phone("4930123456", name: "Zoe"), number: nil,
                                        offer: "meta-offer"))
        let forks = harness.stack.invites.map(\.handle)
        try #require(!forks.isEmpty)
        let winner = try #require(forks.last)
        for fork in forks {
            await harness.event(.inviteResponse(fork, status: 180, phrase: "Ringing", body: [], contentType: nil,
                                                callID: "fork-\(fork.rawValue)@wagate"))
        }
        await harness.event(.inviteResponse(winner, status: 200, phrase: "OK", body: Array("v=0 phone".utf8),
                                            contentType: "application/sdp", callID: "fork-\(winner.rawValue)@wagate"))
        let (call, _) = try #require(await harness.lastCall())
        let events = harness.records.events(CallID(call))
        #expect(events.contains { if case .linkedSIP("fork-\(winner.rawValue)@wagate") = $0 { true } else { false } })
        let summary = try #require(await harness.control.summaries().last)
        #expect(summary.context.sipCallID == "fork-\(winner.rawValue)@wagate")

        await harness.webhook(.terminate(wacid: wacid, completed: true, duration: 5, errors: [], opaque: nil))
        let context = try #require(harness.records.events.current.last { $0.0 == CallID(call) }?.2)
        #expect(context.sipCallID == "fork-\(winner.rawValue)@wagate")
    }
}
