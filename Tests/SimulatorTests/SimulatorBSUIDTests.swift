import Foundation
import NetTypes
import Simulator
import Testing
import WhatsAppCloud

/// Users with only a BSUID and a username: the webhooks carry Meta's fields and
/// no phone number, and Graph requests reach them by `recipient`.
@Suite struct SimulatorBSUIDTests {
    let bsuid = "US.13491208655302741918"

    @Test func usernameOnlyUserCallsWithoutANumber() async throws {
        try await Harness.run { harness in
            let call = try await harness.simulator.userCalls(bsuid, name: "Bob", username: "bob.example")
            #expect(call.user == bsuid)
            guard case .callConnect(let event)? = try await harness.next(1).first else {
                Issue.record("expected a connect")
                return
            }
            #expect(event.from == nil && event.user.phone == nil && event.user.userID?.rawValue == bsuid)
            #expect(event.user.username?.rawValue == "bob.example" && event.user.profileName == "Bob")
            _ = try await harness.simulator.userHangsUp(call.id)
            guard case .callTerminate(let end)? = try await harness.next(1).first else { return }
            #expect(end.from == nil && end.user.userID?.rawValue == bsuid)
        }
    }

    @Test func permissionAndConnectByRecipient() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: bsuid, permanent: true)
            guard case .permissionReply(let reply)? = try await harness.next(1).first else { return }
            #expect(reply.from == nil && reply.user.userID?.rawValue == bsuid && reply.accepted)
            #expect(try await harness.client.callPermissions(userWaID: bsuid).permission.status == .permanent)
            let callID = try await harness.client.connect(to: bsuid, offer: Harness.sdp())
            let ringing = try await harness.next(2)
            guard case .callStatus(let status)? = ringing.first(where: { $0.kind == "status" }) else { return }
            #expect(status.callID == callID && status.recipientID == nil && status.recipient.userID?.rawValue == bsuid)
            #expect(try await harness.simulator.call(callID).user == bsuid)
        }
    }

    @Test func aUserKnownByBothIsReachedByEither() async throws {
        try await Harness.run { harness in
            _ = try await harness.control.request(.POST, "/control/users/447700900123/call",
                                                  body: ["bsuid": .string(bsuid), "username": "alice_1"])
            guard case .callConnect(let event)? = try await harness.next(1).first else { return }
            #expect(event.user.phone == "447700900123" && event.user.userID?.rawValue == bsuid)
            #expect(event.user.username?.rawValue == "alice_1")
            await harness.simulator.grantPermission(to: "447700900123", permanent: true, notify: false)
            #expect(try await harness.client.callPermissions(userWaID: bsuid).permission.status == .permanent)
        }
    }

    @Test func malformedRecipientsAreRefusedAsMetaDoes() async throws {
        try await Harness.run { harness in
            var nobody = MessageRequest.callPermissionRequest(to: bsuid, bodyText: "May we call?")
            nobody.recipient = nil
            var malformed = nobody
            malformed.recipient = "US.13 49"
            for body in [nobody, malformed] {
                do {
                    _ = try await harness.client.sendMessage(body)
                    Issue.record("expected a refusal")
                } catch let error as WhatsAppCloudError {
                    #expect(error.graphError?.code == 100)
                }
            }
        }
    }
}
