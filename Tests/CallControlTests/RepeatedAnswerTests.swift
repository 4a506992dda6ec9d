// A second 2xx on the leg already answered is no new answer.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("CallControl repeated answers")
struct RepeatedAnswerTests {
    @Test("a repeated 2xx on the connected leg changes nothing; the call stays up")
    func repeatedAnswerOnConnectedLeg() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall())
        let leg = SIPLegID("\(call)/leg1")
        await h.sipEvent(.answered(sdp: "phone", sipCallID: "out-1"), on: leg)
        #expect(h.journal.contains("media.bridge \(call)"))
        await h.sipEvent(.answered(sdp: "phone", sipCallID: "out-1"), on: leg)
        #expect(h.journal.count("sip.bye") == 0)
        #expect(h.journal.count("wa.accept") == 1)
        #expect(await h.activeCalls == 1)
    }

    @Test("a stage given up on that answers anyway is still taken and hung up")
    func lateStageAnswerHungUp() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall("wacid.in1", from: "33123456789"))
        await h.advance(.seconds(10))
        let first = SIPLegID("\(call)/leg1")
        #expect(h.journal.contains("sip.cancel \(first)"))
        await h.sipEvent(.answered(sdp: nil, sipCallID: nil), on: first)
        #expect(h.journal.contains("sip.bye \(first)"))
        #expect(await h.activeCalls == 1)
    }
}
