// Call control's limits apply to SIP-mode calls as to Graph-mode ones.

import CallControl
import Config
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: SIP-mode calls under call control's limits")
struct MetaSIPLimitTests {
    @Test("a SIP-mode number's max_calls declines Meta's second INVITE with 603 and counts it")
    func maxCalls() async throws {
        var config = GatewayConfig.metaSIP()
        config.numbers[0].maxCalls = 1
        let counters = NumberCounters(numberNames: config.numbers.map(\.name))
        let harness = await MetaSIPHarness(config: config, counters: counters)
        harness.registerAlice()
        let first = await harness.metaCall()
        let second = await harness.metaCall(wacid: "wacid.META2", callID: "outgoing:wacid.META2.x")
        await harness.settle()
        #expect(!harness.stack.responses(on: first).contains { $0.status >= 300 })
        #expect(harness.stack.responses(on: second).last?.status == 603)
        #expect(counters.refusals(number: "wa-sip", limit: .calls) == 1)
        #expect(harness.stack.invites.count == 1, "only the first call rings alice")
    }
}
