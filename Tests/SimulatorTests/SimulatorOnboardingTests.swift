import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// The Embedded Signup steps against the simulator: the onboarding sequence
/// exchanges a code the simulator issued, reads the number, subscribes the app,
/// registers the number and enables calling; each step's failure names it.
@Suite struct SimulatorOnboardingTests {
    static let pin = "135790"

    private func sequence(_ harness: Harness, pin: String? = Self.pin) -> OnboardingSequence {
        let base = harness.client.settings
        let http = harness.client.httpClient
        return OnboardingSequence(
            appID: "300000000000003", appSecret: Harness.secret, registrationPIN: pin,
            desiredCalling: CallingSettings(status: "ENABLED"),
            client: { id, token in
                var settings = base
                settings.phoneNumberID = id
                settings.accessToken = token
                return GraphClient(settings: settings, httpClient: http)
            })
    }

    private func signup(_ harness: Harness, registered: Bool = false) async throws -> OnboardingSignup {
        let created = try await harness.control.request(.POST, "/control/onboarding/codes", body: [
            "business_number": "+15550109999", "registered": .bool(registered)])
        return OnboardingSignup(code: created["code"]?.stringValue ?? "", wabaID: created["waba_id"]?.stringValue ?? "",
                                phoneNumberID: created["phone_number_id"]?.stringValue ?? "", name: "acme")
    }

    private func state(_ harness: Harness, _ id: String) async throws -> JSONValue {
        try await harness.control.request(.GET, "/control/onboarding/\(id)")
    }

    @Test func everyStepRunsAndTheNumberTakesCalls() async throws {
        try await Harness.run(configure: { $0.registrationPIN = Self.pin }) { harness in
            let signup = try await signup(harness)
            let number = try await sequence(harness).run(signup)
            #expect(number.businessNumber == "+15550109999" && number.wabaID == signup.wabaID && number.name == "acme")
            #expect(number.accessToken.hasPrefix("EAAsim"))
            let state = try await state(harness, signup.phoneNumberID)
            #expect(state == ["exchanged": true, "registered": true, "subscribed": true, "calling_status": "ENABLED"])
            // The new number now takes a call, with its own metadata in the webhook.
            let call = try await harness.control.userCalls("447700900123", businessNumber: "+15550109999")
            #expect(call["phone_number_id"]?.stringValue == signup.phoneNumberID)
        }
    }

    @Test func aCodeIsSingleUseAndAWrongSecretIsRefused() async throws {
        try await Harness.run { harness in
            let signup = try await signup(harness)
            var wrong = sequence(harness)
            wrong.appSecret = "not-the-secret"
            await #expect(throws: OnboardingFailure.self) { try await wrong.run(signup) }
            _ = try await sequence(harness).run(signup)
            do {
                _ = try await sequence(harness).run(signup)
                Issue.record("a used code was exchanged again")
            } catch let error as OnboardingFailure {
                #expect(error.status == 502 && error.message.hasPrefix("code exchange failed: Meta answered 400 code 100"))
            }
        }
    }

    @Test func aWrongPinFailsAtRegistrationAndAnUnregisteredNumberNeedsAPin() async throws {
        try await Harness.run(configure: { $0.registrationPIN = Self.pin }) { harness in
            do {
                _ = try await sequence(harness, pin: "000000").run(try await signup(harness))
                Issue.record("a wrong PIN registered the number")
            } catch let error as OnboardingFailure {
                #expect(error.message.hasPrefix("registration failed: Meta answered 400 code 133005"))
            }
            do {
                _ = try await sequence(harness, pin: nil).run(try await signup(harness))
                Issue.record("an unregistered number was onboarded without a PIN")
            } catch let error as OnboardingFailure {
                #expect(error.status == 409)
            }
            // An already registered number needs no PIN and is not registered again.
            let registered = try await signup(harness, registered: true)
            _ = try await sequence(harness, pin: nil).run(registered)
            guard case .array(let requests)? = try await harness.control.request(.GET, "/control/graph_requests")["requests"]
            else { Issue.record("no request log"); return }
            #expect(!requests.contains { $0["path"]?.stringValue == "/v23.0/\(registered.phoneNumberID)/register" })
        }
    }

    @Test func anUnregisteredNumberTakesNoCalls() async throws {
        try await Harness.run { harness in
            let signup = try await signup(harness)
            await #expect(throws: (any Error).self) {
                _ = try await harness.control.userCalls("447700900123", businessNumber: "+15550109999")
            }
            #expect(try await state(harness, signup.phoneNumberID)["calling_status"] == "DISABLED")
        }
    }
}
