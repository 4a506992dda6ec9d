import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Meta's error codes injected through the control API on the next request of one action.
@Suite struct SimulatorFaultTests {
    let user = "+447700900123"

    func graphError(_ body: () async throws -> Void) async -> GraphError? {
        do {
            try await body()
        } catch let error as WhatsAppCloudError {
            return error.graphError
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    @Test func aCodeWaitsForItsActionAndCarriesMetasStatusAndTexts() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, permanent: true, notify: false)
            _ = try await harness.control.failNext(1, code: 131030, action: "connect")
            let permission = try await harness.client.callPermissions(userWaID: "447700900123")
            #expect(permission.permission.status == .permanent, "the look-up is not the action the fault waits for")
            let error = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(error?.code == 131030 && error?.httpStatus == 400)
            #expect(error?.message == "(#131030) Recipient phone number not in allowed list")
            #expect(error?.details == "Recipient phone number is not in allowed list")
            #expect(error?.fbtraceID?.isEmpty == false)
            let wacid = try await harness.client.connect(to: user, offer: Harness.sdp())
            #expect(wacid.hasPrefix("wacid."), "one fault fails one request")
        }
    }

    @Test func rateLimitsCarryRetryAfterAndDailyLimitsTheNextAllowedTime() async throws {
        try await Harness.run { harness in
            _ = try await harness.control.failNext(1, code: 613, action: "call_permissions", retryAfter: 3600)
            let limited = await graphError { _ = try await harness.client.callPermissions(userWaID: "447700900123") }
            #expect(limited?.code == 613 && limited?.httpStatus == 429 && limited?.retryAfter == .seconds(3600))
            _ = try await harness.control.request(.POST, "/control/faults", body: [
                "code": 138012, "action": "connect", "next_allowed": 1_900_000_000,
            ])
            let daily = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(daily?.code == 138012 && daily?.nextCallAllowed == Date(timeIntervalSince1970: 1_900_000_000))
        }
    }

    @Test func preAcceptAndAcceptFailuresLeaveTheCallAsItWas() async throws {
        try await Harness.run { harness in
            let answer = Harness.sdp(setup: "active")
            let call = try await harness.simulator.userCalls(user, name: "Alice")
            _ = try await harness.control.failNext(1, code: 138004, action: "pre_accept")
            _ = try await harness.control.failNext(1, code: 131000, action: "accept")
            let preAccept = await graphError { try await harness.client.preAccept(callID: call.id, answer: answer) }
            #expect(preAccept?.code == 138004 && preAccept?.httpStatus == 500)
            #expect(try await harness.simulator.call(call.id).state == .offered)
            try await harness.client.preAccept(callID: call.id, answer: answer)
            let accept = await graphError { try await harness.client.accept(callID: call.id, answer: answer) }
            #expect(accept?.code == 131000 && accept?.httpStatus == 500)
            try await harness.client.accept(callID: call.id, answer: answer)
            #expect(try await harness.simulator.call(call.id).state == .accepted)
        }
    }

    @Test func unknownActionsAndKindsAreRefused() async throws {
        try await Harness.run { harness in
            await #expect(throws: SimulatorError.self) {
                _ = try await harness.control.failNext(1, code: 131030, action: "transfer")
            }
            await #expect(throws: SimulatorError.self) {
                _ = try await harness.control.request(.POST, "/control/faults", body: ["kind": "graph_error"])
            }
        }
    }
}
