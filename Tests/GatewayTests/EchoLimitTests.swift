// The echo test through the SIP adapter and call control, under the same
// limits as any call: max_calls of the user and of the gateway, and drain.

import CallControl
import Config
import Foundation
import SIP
import TestSupport
import Testing
@testable import Gateway

extension GatewayHarness {
    /// An INVITE to the echo extension from `user`; returns its handle.
    @discardableResult
    func echoInvite(from user: String = "alice", sdp: String? = "v=0 phone-offer") async -> SIPHandle {
        await invite("*43", from: .user(user), sdp: sdp, callID: "echo-\(user)-\(UUID().uuidString)")
    }
}

@Suite("Gateway: the echo test under limits")
struct EchoLimitTests {
    static func config(maxCalls: Int? = nil) -> GatewayConfig {
        var config = GatewayConfig.test(maxCalls: maxCalls)
        config.general.echoExtension = "*43"
        return config
    }

    @Test("the user's max_calls counts echo calls: alice's third gets 486 on the wire")
    func userLimit() async {
        let harness = await GatewayHarness(config: Self.config())
        #expect(harness.stack.responses(on: await harness.echoInvite()).last?.status == 200)
        #expect(harness.stack.responses(on: await harness.echoInvite()).last?.status == 200)
        #expect(harness.stack.responses(on: await harness.echoInvite()).last?.status == 486)
        #expect(await harness.control.activeCallCount == 2)
    }

    @Test("the gateway's max_calls counts echo calls: 503 with Retry-After")
    func gatewayLimit() async {
        let harness = await GatewayHarness(config: Self.config(maxCalls: 1))
        #expect(harness.stack.responses(on: await harness.echoInvite()).last?.status == 200)
        let refused = harness.stack.responses(on: await harness.echoInvite(from: "bob")).last
        #expect(refused?.status == 503)
    }

    @Test("draining: a new echo call gets 503; the running one gets BYE when the drain time is over")
    func drain() async throws {
        let harness = await GatewayHarness(config: Self.config())
        let running = await harness.echoInvite()
        let control = harness.control
        let drained = Task { await control.drain(drainTime: .seconds(30)) }
        while !(await control.isDraining) { await Task.yield() }
        #expect(harness.stack.responses(on: await harness.echoInvite(from: "bob")).last?.status == 503)
        await harness.clock.advance(by: .seconds(31))
        await drained.value
        #expect(harness.stack.byes == [running])
        #expect(harness.journal.count("echo.close") == 1)
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("a late-offer echo call: the 200 offers G.711 and the ACK's answer reaches the echo media")
    func lateOffer() async throws {
        let harness = await GatewayHarness(config: Self.config())
        let handle = await harness.echoInvite(sdp: nil)
        let (call, _) = try #require(await harness.lastCall())
        let final = try #require(harness.stack.responses(on: handle).last)
        #expect(final.status == 200)
        #expect(final.sdp == "echo-answer-\(call)")
        await harness.event(.acknowledged(handle, body: Array("v=0 echo-late-answer".utf8)))
        #expect(harness.journal.contains("echo.answer \(call) v=0 echo-late-answer"))
    }
}
