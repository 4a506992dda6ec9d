import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Several business numbers in one simulator: each Graph request goes through
/// its number's id and token, webhooks carry the number's metadata and WABA,
/// and limits count per number.
@Suite struct SimulatorNumberTests {
    static let second = SimulatedNumber(phoneNumberID: "100000000000777", displayPhoneNumber: "15550100001",
                                        wabaID: "900000000000001", accessToken: "second-token")

    private func twoNumbers(_ settings: inout MetaSimulatorSettings) {
        settings.additionalNumbers = [Self.second]
        settings.maxConcurrentCalls = 1
    }

    private func graphError(_ body: () async throws -> Void) async -> GraphError? {
        do {
            try await body()
        } catch let error as WhatsAppCloudError {
            return error.graphError
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    @Test func eachNumberHasItsOwnIdTokenAndLimits() async throws {
        try await Harness.run(configure: twoNumbers) { harness in
            var settings = harness.client.settings
            settings.phoneNumberID = Self.second.phoneNumberID
            settings.accessToken = "second-token"
            let second = GraphClient(settings: settings, httpClient: harness.client.httpClient)
            await harness.simulator.grantPermission(to: "447700900123", notify: false)
            await harness.simulator.grantPermission(to: "447700900124", notify: false)
            // One call at a time per number: each number carries its own.
            let first = try await harness.client.connect(to: "447700900123", offer: Harness.sdp())
            let other = try await second.connect(to: "447700900124", offer: Harness.sdp(), bizOpaqueCallbackData: "b")
            #expect(try await harness.simulator.call(other).number == Self.second.phoneNumberID)
            // A call is only known through its own number.
            let crossed = await graphError { try await second.terminate(callID: first) }
            #expect(crossed?.code == 100)
            var wrongToken = settings
            wrongToken.accessToken = "test-token"
            let badToken = await graphError {
                try await GraphClient(settings: wrongToken, httpClient: harness.client.httpClient).terminate(callID: other)
            }
            #expect(badToken?.code == 190)
            var unknown = settings
            unknown.phoneNumberID = "123"
            let unknownID = await graphError {
                try await GraphClient(settings: unknown, httpClient: harness.client.httpClient).terminate(callID: other)
            }
            #expect(unknownID?.code == 100)
            let events = try await harness.next(4)
            let metadata = events.compactMap { event -> WebhookMetadata? in
                if case .callStatus(let status) = event, status.callID == other { return status.metadata }
                return nil
            }.first
            #expect(metadata?.phoneNumberID == Self.second.phoneNumberID && metadata?.wabaID == Self.second.wabaID)
            #expect(metadata?.displayPhoneNumber == "15550100001")
        }
    }

    @Test func aUserCallsTheNumberNamed() async throws {
        try await Harness.run(configure: twoNumbers) { harness in
            _ = try await harness.control.userCalls("+447700900123", businessNumber: "+15550100001")
            let named = try await harness.next(1)
            guard case .callConnect(let connect)? = named.first else { return #expect(Bool(false)) }
            #expect(connect.metadata.phoneNumberID == Self.second.phoneNumberID && connect.to == "15550100001")
            _ = try await harness.control.userCalls("+447700900124")
            guard case .callConnect(let first)? = try await harness.next(1).first else { return #expect(Bool(false)) }
            #expect(first.metadata.phoneNumberID == harness.simulator.settings.phoneNumberID)
            await #expect(throws: (any Error).self) {
                _ = try await harness.control.userCalls("+447700900125", businessNumber: "+19999999999")
            }
        }
    }
}
