import Config
import Foundation
import Logging
import Testing
@testable import SIP

/// The SIP stack as a UAC against SIPp phones and a SIPp trunk: parallel forks
/// (first 200 wins, the other fork is cancelled), BYE, and answering a trunk's
/// 407 challenge with the configured credentials (SIPp checks the digest), and
/// a re-INVITE the layers above never answer (the stack answers 500 itself).
@Suite(.serialized, .enabled(if: SIPpProcess.available))
struct SIPStackClientTests {
    private func makeStack() throws -> SIPStack {
        try TestStack.make(listen: "udp:127.0.0.1:\(FreePort.udp())",
                           sections: "[alice]\ntype = user\nsecret = alice-secret")
    }

    private func call(to port: Int, credentials: (String, String)? = nil) -> SIPOutgoingCall {
        SIPOutgoingCall(
            requestURI: "sip:alice@127.0.0.1:\(port)", to: "<sip:alice@127.0.0.1:\(port)>",
            from: "\"+447700900123\" <sip:+447700900123@127.0.0.1>",
            sdp: "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
            headers: ["P-Asserted-Identity: <sip:+447700900123@127.0.0.1>"],
            credentials: credentials.map { (username: $0.0, password: $0.1) })
    }

    /// Waits (bounded) for the first event that `match` accepts.
    private func next(_ stack: SIPStack, within seconds: Double = 10, _ match: @escaping @Sendable (SIPEvent) -> Bool) async -> SIPEvent? {
        await withTaskGroup(of: SIPEvent?.self) { group in
            group.addTask {
                for await event in stack.events where match(event) { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The stack places each fork and reports each fork's responses; the
    /// caller (the gateway's adapter) picks the winner and cancels the rest.
    @Test func parallelForksAreReportedEachAndTheCallerCancelsTheRest() async throws {
        let answering = try SIPpProcess(scenario: "uas_ring_then_answer.xml")
        let ringing = try SIPpProcess(scenario: "uas_ring_expect_cancel.xml")
        let stack = try makeStack()
        try stack.start()
        let a = stack.makeHandle(), b = stack.makeHandle()
        stack.send(.inviteForks([(a, call(to: answering.port)), (b, call(to: ringing.port))]))

        let answered = await next(stack) {
            if case let .inviteResponse(handle, status, _, _, _, _, _) = $0 { return status == 200 && (handle == a || handle == b) }
            return false
        }
        guard case let .inviteResponse(winner, _, _, body, _, callID, _) = answered else {
            Issue.record("no fork answered")
            return
        }
        #expect(winner == a)
        // The 2xx's Call-ID: the one nua put on this fork's INVITE.
        #expect(callID?.isEmpty == false)
        #expect(String(decoding: body, as: UTF8.self).contains("m=audio"))
        stack.send(.cancel(b))
        stack.send(.bye(a))
        let (ringingStatus, ringingOutput) = await ringing.finish()
        #expect(ringingStatus == 0, "the losing fork must be cancelled: \(ringingOutput)")
        let (answeringStatus, answeringOutput) = await answering.finish()
        #expect(answeringStatus == 0, "the winner gets ACK and BYE: \(answeringOutput)")
        await stack.shutdown()
    }

    @Test func trunkChallengeIsAnsweredWithTheConfiguredCredentials() async throws {
        let trunk = try SIPpProcess(scenario: "uas_trunk_challenge.xml")
        let stack = try makeStack()
        try stack.start()
        let handle = stack.makeHandle()
        stack.send(.invite(handle, call(to: trunk.port, credentials: ("wagate-out", "pbx-secret"))))
        let answered = await next(stack) {
            if case let .inviteResponse(h, status, _, _, _, _, _) = $0 { return h == handle && status >= 200 }
            return false
        }
        guard case let .inviteResponse(_, status, _, _, _, _, _) = answered else {
            Issue.record("no final response")
            return
        }
        #expect(status == 200)
        stack.send(.bye(handle))
        let (code, output) = await trunk.finish()
        #expect(code == 0, "SIPp verified our digest: \(output)")
        await stack.shutdown()
    }

    @Test func aReinviteNobodyAnswersGets500WithRetryAfterFromTheStack() async throws {
        let phone = try SIPpProcess(scenario: "uas_reinvite_unanswered.xml")
        let stack = try makeStack()
        try stack.start()
        let handle = stack.makeHandle()
        stack.send(.invite(handle, call(to: phone.port)))
        let offer = await next(stack) {
            if case let .reinvite(target, _) = $0 { return target == handle }
            return false
        }
        guard case let .reinvite(_, request) = offer else {
            Issue.record("the re-INVITE was not reported")
            return
        }
        #expect(String(decoding: request.body, as: UTF8.self).contains("a=sendonly"))
        let bye = await next(stack, within: 15) {
            if case .bye(let target) = $0 { return target == handle }
            return false
        }
        #expect(bye != nil)
        let (status, output) = await phone.finish()
        #expect(status == 0, "the unanswered re-INVITE gets 500 with Retry-After: \(output)")
        await stack.shutdown()
    }
}
