import AsyncHTTPClient
import Foundation
import NIOCore
import Simulator
import Testing
import WhatsAppCloud

/// The Graph client against the simulator over real HTTP: every action's success
/// and every error path.
@Suite struct SimulatorGraphTests {
    let user = "+447700900123"

    /// The Graph error thrown by `body`, or a recorded issue.
    func graphError(_ body: () async throws -> Void) async -> GraphError? {
        do {
            try await body()
            Issue.record("expected a Graph error")
        } catch let error as WhatsAppCloudError {
            if let graph = error.graphError { return graph }
            Issue.record("expected a Graph error, got \(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    /// Posts a raw JSON body to the calls edge (for requests the client never builds).
    func rawCalls(_ harness: Harness, _ body: JSONValue) async throws -> GraphError {
        var request = HTTPClientRequest(url: harness.client.settings.url(for: "\(harness.simulator.settings.phoneNumberID)/calls"))
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer test-token")
        request.body = .bytes(ByteBuffer(bytes: try GraphJSON.encoder.encode(body)))
        let response = try await harness.client.httpClient.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return GraphJSON.graphError(status: Int(response.status.code), body: Data(bytes.readableBytesView))
    }

    @Test func businessCallPermissionAndLimits() async throws {
        try await Harness.run(configure: { $0.maxConcurrentCalls = 2 }) { harness in
            let noPermission = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(noPermission?.code == 138006 && noPermission?.httpStatus == 401)
            #expect(noPermission?.classification == .noPermission && noPermission?.fbtraceID != nil)
            await harness.simulator.grantPermission(to: user, notify: false)
            let permissions = try await harness.client.callPermissions(userWaID: user)
            #expect(permissions.permission.status == .temporary && permissions.canStartCall == true)
            let callID = try await harness.client.connect(to: user, offer: Harness.sdp(), bizOpaqueCallbackData: "leg-1")
            #expect(callID.hasPrefix("wacid."))
            let duplicate = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(duplicate?.code == 138003 && duplicate?.classification == .duplicateCall)
            await harness.simulator.grantPermission(to: "447700900124", notify: false)
            await harness.simulator.grantPermission(to: "447700900125", notify: false)
            _ = try await harness.client.connect(to: "447700900124", offer: Harness.sdp())
            let concurrency = await graphError { _ = try await harness.client.connect(to: "447700900125", offer: Harness.sdp()) }
            #expect(concurrency?.code == 138002 && concurrency?.httpStatus == 429)
            try await harness.client.terminate(callID: callID)
            #expect(try await harness.simulator.call(callID).state == .ended)
        }
    }

    @Test func rateAndDailyLimits() async throws {
        try await Harness.run(configure: {
            $0.maxConnectsPerWindow = 2
            $0.permissionLimits.connectedCallsPerDay = 1
            $0.uncallableUsers = ["447700900999"]
        }) { harness in
            let uncallable = await graphError { _ = try await harness.client.connect(to: "447700900999", offer: Harness.sdp()) }
            #expect(uncallable?.code == 138001 && uncallable?.classification == .receiverUncallable)
            await harness.simulator.grantPermission(to: user, permanent: true, notify: false)
            let first = try await harness.client.connect(to: user, offer: Harness.sdp())
            _ = try await harness.simulator.userAnswers(first)
            _ = try await harness.simulator.userHangsUp(first)
            let daily = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(daily?.code == 138012 && daily?.classification == .dailyCallLimit)
            await harness.simulator.grantPermission(to: "447700900124", notify: false)
            let second = try await harness.client.connect(to: "447700900124", offer: Harness.sdp())
            try await harness.client.terminate(callID: second)
            let rate = await graphError { _ = try await harness.client.connect(to: "447700900124", offer: Harness.sdp()) }
            #expect(rate?.code == 138005 && rate?.classification == .rateLimited)
        }
    }

    @Test func sdpValidation() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, notify: false)
            let noFingerprint = await graphError { _ = try await harness.client.connect(to: user, offer: "v=0\r\n") }
            #expect(noFingerprint?.code == 100 && noFingerprint?.details == "No fingerprint found in SDP")
            let wrongType = try await rawCalls(harness, [
                "messaging_product": "whatsapp", "action": "connect", "to": "447700900123",
                "session": ["sdp_type": "answer", "sdp": .string(Harness.sdp())],
            ])
            #expect(wrongType.code == 100 && wrongType.details?.contains("sdp_type") == true)
            let call = try await harness.simulator.userCalls("447700900999")
            let offerType = try await rawCalls(harness, [
                "messaging_product": "whatsapp", "action": "pre_accept", "call_id": .string(call.id),
                "session": ["sdp_type": "offer", "sdp": .string(Harness.sdp(setup: "active"))],
            ])
            #expect(offerType.code == 100 && offerType.httpStatus == 400)
            let noProduct = try await rawCalls(harness, ["action": "terminate", "call_id": .string(call.id)])
            #expect(noProduct.code == 100)
        }
    }

    @Test func userInitiatedPreAcceptAcceptReject() async throws {
        try await Harness.run { harness in
            let answer = Harness.sdp(setup: "active")
            let call = try await harness.simulator.userCalls(user, name: "Alice")
            try await harness.client.preAccept(callID: call.id, answer: answer)
            let mismatch = await graphError {
                try await harness.client.accept(callID: call.id, answer: Harness.sdp(setup: "active"))
            }
            #expect(mismatch?.code == 100 && mismatch?.details?.contains("pre_accept") == true)
            try await harness.client.accept(callID: call.id, answer: answer)
            #expect(try await harness.simulator.call(call.id).state == .accepted)
            try await harness.client.terminate(callID: call.id)
            let other = try await harness.simulator.userCalls("447700900124")
            try await harness.client.reject(callID: other.id)
            #expect(try await harness.simulator.call(other.id).state == .ended)
            let late = await graphError { try await harness.client.reject(callID: other.id) }
            #expect(late?.code == 100)
        }
    }

    @Test func settingsPermissionsAndMessages() async throws {
        try await Harness.run(configure: {
            $0.autoAcceptPermissionRequests = true
            $0.templates = [SimulatedTemplate(name: "call_me", language: "en")]
        }) { harness in
            _ = try await harness.control.userMessages(user)
            try await harness.client.updateCallingSettings(CallingSettings(audio: .init(additionalCodecs: ["PCMA"])))
            let settings = try await harness.client.callingSettings()
            #expect(settings.isEnabled && settings.audio?.additionalCodecs == ["PCMA"])
            let sent = try await harness.client.sendCallPermissionRequest(to: user, bodyText: "May we call?")
            #expect(sent.messageID?.hasPrefix("wamid.") == true)
            #expect(try await harness.client.callPermissions(userWaID: user).permission.status == .temporary)
            let limit = await graphError {
                _ = try await harness.client.sendTemplate(to: user, template: .init(name: "call_me", languageCode: "en"))
            }
            #expect(limit?.code == 138009)
            try await harness.client.updateCallingSettings(CallingSettings(status: "DISABLED"))
            let disabled = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(disabled?.code == 138000 && disabled?.classification == .callingUnavailable)
            try await harness.client.updateCallingSettings(CallingSettings(status: "ENABLED", sip: .init(status: "ENABLED")))
            let sipMode = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(sipMode?.code == 131055)
        }
    }

    @Test func faultsTimeoutsAndRetries() async throws {
        // The client's timeout must expire during the simulator's hang and never on
        // an answered request, whatever the machine's load: 2 s against a 6 s hang.
        try await Harness.run(configure: { $0.hangDuration = .seconds(6) }, client: {
            $0.requestTimeout = .seconds(2)
            $0.maxRetries = 2
        }) { harness in
            await harness.simulator.grantPermission(to: user, notify: false)
            await harness.simulator.failNextGraphRequests(1, with: .serverError)
            let server = await graphError { _ = try await harness.client.connect(to: user, offer: Harness.sdp()) }
            #expect(server?.httpStatus == 500 && server?.classification == .serverError)
            await harness.simulator.failNextGraphRequests(1, with: .rateLimit)
            let afterRetry = try await harness.client.connect(to: user, offer: Harness.sdp())
            try await harness.client.terminate(callID: afterRetry)
            await harness.simulator.failNextGraphRequests(1, with: .timeoutAfterProcessing)
            do {
                _ = try await harness.client.connect(to: user, offer: Harness.sdp())
                Issue.record("expected a timeout")
            } catch WhatsAppCloudError.timeout(_, let outcomeUnknown) {
                #expect(outcomeUnknown)
            }
            let live = await harness.simulator.calls().filter(\.isLive)
            #expect(live.count == 1, "connect must not be retried after a timeout")
            await harness.simulator.failNextGraphRequests(1, with: .timeout)
            #expect(try await harness.client.callingSettings().isEnabled, "reads are retried after a timeout")
        }
    }

    @Test func retryAfterLongerThanTheBackoffLimitIsNotWaitedFor() async throws {
        try await Harness.run(client: {
            $0.maxRetries = 3
            $0.maxBackoff = .milliseconds(100)
        }) { harness in
            await harness.simulator.failNextGraphRequests(1, with: .rateLimit)
            let error = await graphError { _ = try await harness.client.callingSettings() }
            #expect(error?.code == 138005 && error?.retryAfter == .seconds(1))
        }
    }

    @Test func wrongTokenIsRefused() async throws {
        try await Harness.run(client: { $0.accessToken = "stolen" }) { harness in
            let error = await graphError { _ = try await harness.client.callingSettings() }
            #expect(error?.code == 190 && error?.classification == .unauthorized)
        }
    }
}
