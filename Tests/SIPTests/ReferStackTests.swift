import Foundation
import Testing
@testable import SIP

/// The INVITE of an attended transfer on the wire: Replaces rendered from one of
/// the stack's own dialogs (tags as its far end sees them, RFC 3891 §3) or copied,
/// with `Require: replaces` and `Referred-By`. A SIPp phone checks the headers and
/// echoes the Replaces value back as its 486 reason phrase.
@Suite(.serialized, .enabled(if: SIPpProcess.available))
struct ReferStackTests {
    private func call(to port: Int, replaces: SIPOutgoingReplaces?) -> SIPOutgoingCall {
        var call = SIPOutgoingCall(
            requestURI: "sip:bob@127.0.0.1:\(port)", to: "<sip:bob@127.0.0.1:\(port)>",
            from: "<sip:+447700900123@127.0.0.1>",
            sdp: "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n",
            headers: ["Referred-By: <sip:alice@127.0.0.1>"])
        call.replaces = replaces
        return call
    }

    /// The final response to `handle`'s INVITE: status, phrase and Call-ID.
    private func final(_ stack: SIPStack, _ handle: SIPHandle) async -> (Int, String, String?)? {
        for await event in stack.events {
            if case let .inviteResponse(h, status, phrase, _, _, callID, _) = event, h == handle, status >= 200 {
                return (status, phrase, callID)
            }
        }
        return nil
    }

    @Test func replacesNamesOurDialogAsItsFarEndSeesIt() async throws {
        let consultation = try SIPpProcess(scenario: "uas_ring_then_answer.xml")
        let target = try SIPpProcess(scenario: "uas_echo_replaces.xml")
        let stack = try TestStack.make(listen: "udp:127.0.0.1:\(FreePort.udp())")
        try stack.start()
        let dialog = stack.makeHandle(), attended = stack.makeHandle()
        stack.send(.invite(dialog, call(to: consultation.port, replaces: nil)))
        let answered = try #require(await final(stack, dialog))
        #expect(answered.0 == 200)
        let callID = try #require(answered.2)

        stack.send(.invite(attended, call(to: target.port, replaces: .dialog(dialog))))
        let refused = try #require(await final(stack, attended))
        #expect(refused.0 == 486)
        let echoed = try #require(ReplacesHeader(refused.1))
        #expect(echoed.callID == callID)
        // The far end's own tag is its local tag: to-tag; ours is from-tag.
        #expect(echoed.toTag.contains("SIPpTag01") && !echoed.fromTag.contains("SIPpTag"))
        let (targetStatus, targetOutput) = await target.finish()
        #expect(targetStatus == 0, "Replaces, Require and Referred-By must be on the INVITE: \(targetOutput)")
        stack.send(.bye(dialog))
        _ = await consultation.finish()
        await stack.shutdown()
    }

    @Test func aCopiedReplacesIsSentAsGiven() async throws {
        let target = try SIPpProcess(scenario: "uas_echo_replaces.xml")
        let stack = try TestStack.make(listen: "udp:127.0.0.1:\(FreePort.udp())")
        try stack.start()
        let handle = stack.makeHandle()
        let value = try #require(ReplacesHeader("425928@bobster.example.org;from-tag=7743;to-tag=6472"))
        stack.send(.invite(handle, call(to: target.port, replaces: .value(value))))
        let refused = try #require(await final(stack, handle))
        #expect(refused.0 == 486 && refused.1 == "425928@bobster.example.org;to-tag=6472;from-tag=7743")
        let (status, output) = await target.finish()
        #expect(status == 0, "\(output)")
        await stack.shutdown()
    }
}

/// REFER served by the stack as the UAS of a trunk's call (SIPp as a PBX): one
/// pending REFER per dialog (a second gets 491), the stack's own `100 Trying`
/// NOTIFY not repeated when call control reports 100 too, the final NOTIFY
/// ending the pending REFER, and the `refer;id=<CSeq>` event of each.
@Suite(.serialized, .enabled(if: SIPpProcess.available))
struct ReferServerTests {
    @Test func oneReferPendingPerDialogAndNotifiesCarryItsEvent() async throws {
        let pbxPort = FreePort.udp(), port = FreePort.udp()
        let stack = try TestStack.make(
            listen: "udp:127.0.0.1:\(port)",
            sections: "[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = \(pbxPort)\nmatch_port = \(pbxPort)")
        try stack.start()
        let pbx = try SIPpProcess(scenario: "uac_refer_pending.xml", port: pbxPort, remote: "127.0.0.1:\(port)")
        let refers = await withTaskGroup(of: [String?]?.self) { group in
            group.addTask { await Self.serve(stack) }
            group.addTask {
                try? await Task.sleep(for: .seconds(15))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let (status, output) = await pbx.finish()
        #expect(status == 0, "\(output)")
        #expect(refers == ["2001", "2003"])
        await stack.shutdown()
    }

    /// Answers the call, and the PBX's INFO with the NOTIFYs; returns the
    /// REFERs reported, once the PBX hangs up.
    private static func serve(_ stack: SIPStack) async -> [String?] {
        var refers: [String?] = []
        for await event in stack.events {
            switch event {
            case let .incomingCall(handle, identity, _):
                #expect(identity == .trunk("pbx"))
                stack.send(.respond(handle, status: 200, phrase: "",
                                    sdp: "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n",
                                    headers: []))
            case let .refer(_, request):
                refers.append(request.targetUser)
            case let .dtmf(handle, _, _):
                // The PBX got its 491: the first REFER is still pending. A
                // repeated 100 is not sent again; the final 200 ends it.
                stack.send(.notifyRefer(handle, status: 100, terminated: false))
                stack.send(.notifyRefer(handle, status: 200, terminated: true))
            case .bye:
                return refers
            default:
                break
            }
        }
        return refers
    }
}
