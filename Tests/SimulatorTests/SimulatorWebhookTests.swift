import Foundation
import Simulator
import Store
import Testing
import WhatsAppCloud

/// Signed webhooks from the simulator reaching a real receiver: sequences, duplicates
/// and reordering.
@Suite struct SimulatorWebhookTests {
    let user = "447700900123"

    @Test func userInitiatedCallSequence() async throws {
        try await Harness.run { harness in
            let call = try await harness.simulator.userCalls(user, name: "Alice")
            let connect = try await harness.next(1)
            guard case .callConnect(let event)? = connect.first else {
                Issue.record("expected connect, got \(connect)")
                return
            }
            #expect(event.callID == call.id && event.direction == .userInitiated && event.contactName == "Alice")
            #expect(event.session?.sdpType == .offer && event.session?.sdp.contains("a=setup:actpass") == true)
            let answer = Harness.sdp(setup: "active")
            try await harness.client.preAccept(callID: call.id, answer: answer)
            try await harness.client.accept(callID: call.id, answer: answer)
            _ = try await harness.simulator.userHangsUp(call.id)
            guard case .callTerminate(let end)? = try await harness.next(1).first else { return }
            #expect(end.callID == call.id && end.status == .completed && end.duration != nil)
        }
    }

    @Test func businessInitiatedCallSequence() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, permanent: false)
            guard case .permissionReply(let reply)? = try await harness.next(1).first else { return }
            #expect(reply.accepted && reply.from == user && reply.expiration != nil)
            let callID = try await harness.client.connect(to: user, offer: Harness.sdp(), bizOpaqueCallbackData: "leg-7")
            let ringing = try await harness.next(2)
            #expect(ringing.map(\.kind) == ["status", "connect"])
            if case .callConnect(let connect) = ringing[1] {
                #expect(connect.direction == .businessInitiated && connect.session?.sdpType == .answer)
                #expect(connect.bizOpaqueCallbackData == "leg-7" && connect.callID == callID)
            }
            _ = try await harness.simulator.userAnswers(callID)
            _ = try await harness.simulator.userHangsUp(callID)
            let rest = try await harness.next(2)
            #expect(rest.map(\.kind) == ["status", "terminate"])
            if case .callStatus(let accepted) = rest[0] { #expect(accepted.status == .accepted) }
        }
    }

    @Test func rejectedAndAnswerAfterAccepted() async throws {
        try await Harness.run(configure: { $0.answerTiming = .afterAccepted }) { harness in
            await harness.simulator.grantPermission(to: user, permanent: true, notify: false)
            let rejected = try await harness.client.connect(to: user, offer: Harness.sdp())
            _ = try await harness.next(1)
            _ = try await harness.simulator.userRejects(rejected)
            let end = try await harness.next(2)
            #expect(end.map(\.kind) == ["status", "terminate"])
            if case .callStatus(let status) = end[0] { #expect(status.status == .rejected) }
            let answered = try await harness.client.connect(to: user, offer: Harness.sdp())
            _ = try await harness.next(1)
            _ = try await harness.simulator.userAnswers(answered)
            let order = try await harness.next(2)
            #expect(order.map(\.kind) == ["status", "connect"], "ACCEPTED before the connect with the answer")
        }
    }

    @Test func duplicatedDeliveriesAreStoredOnceAndDeliveredOnce() async throws {
        try await Harness.run(configure: { $0.delivery.duplicates = 2 }) { harness in
            let call = try await harness.simulator.userCalls(user)
            _ = try await harness.simulator.userHangsUp(call.id)
            let events = try await harness.next(2)
            #expect(events.map(\.kind) == ["connect", "terminate"])
            await harness.simulator.waitForWebhooks()
            #expect(try await harness.store.deliveryCount() == 2, "a duplicate brings nothing new and is not stored")
            #expect(await harness.unread().isEmpty)
        }
    }

    @Test func terminateBeforeConnectDropsTheLateConnect() async throws {
        try await Harness.run { harness in
            harness.simulator.holdWebhooks()
            let call = try await harness.simulator.userCalls(user)
            _ = try await harness.simulator.userHangsUp(call.id)
            #expect(await harness.simulator.releaseWebhooks(reversed: true) == 2)
            await harness.simulator.waitForWebhooks()
            let events = try await harness.next(1)
            #expect(events.map(\.kind) == ["terminate"])
            #expect(try await harness.store.deliveryCount() == 2)
            #expect(try await harness.store.events(forCall: call.id).map(\.admitted) == [true, false])
            #expect(await harness.unread().isEmpty)
        }
    }

    @Test func reorderPolicySwapsPairs() async throws {
        try await Harness.run(configure: { $0.delivery.reorder = true }) { harness in
            await harness.simulator.grantPermission(to: user, notify: false)
            let callID = try await harness.client.connect(to: user, offer: Harness.sdp())
            let swapped = try await harness.next(2)
            #expect(swapped.map(\.kind) == ["connect", "status"], "RINGING and connect arrive swapped")
            _ = try await harness.simulator.userHangsUp(callID)
            #expect(try await harness.next(1).map(\.kind) == ["terminate"])
        }
    }

    @Test func controlAPIOverHTTP() async throws {
        try await Harness.run { harness in
            let call = try await harness.control.userCalls("+44 7700 900123", name: "Bob")
            let id = try #require(call["id"]?.stringValue)
            _ = try await harness.next(1)
            let hung = try await harness.control.callAction(id, "hangup")
            #expect(hung["state"]?.stringValue == "ended")
            _ = try await harness.next(1)
            let granted = try await harness.control.grantPermission(user, permanent: true, notify: false)
            #expect(granted["permission"]?["status"]?.stringValue == "permanent")
            _ = try await harness.control.failNext(1, with: .serverError)
            await #expect(throws: WhatsAppCloudError.self) { _ = try await harness.client.callingSettings() }
            await #expect(throws: SimulatorError.self) { _ = try await harness.control.callAction("wacid.nope", "answer") }
            let list = try await harness.control.calls()
            #expect(list["calls"]?.elements.count == 1)
        }
    }
}
