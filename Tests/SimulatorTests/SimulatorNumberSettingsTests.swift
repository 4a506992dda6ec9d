import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Calling settings per number in one simulator: each number starts with its own
/// `additional_codecs`, `GET|POST /{PHONE_NUMBER_ID}/settings` read and change
/// that number only, the control route picks a number, and a connect on a
/// disabled or SIP-mode number fails with that number's error alone.
@Suite struct SimulatorNumberSettingsTests {
    static let second = SimulatedNumber(phoneNumberID: "100000000000777", displayPhoneNumber: "15550100001",
                                        wabaID: "900000000000001", accessToken: "second-token",
                                        additionalCodecs: ["PCMA"])
    let user = "447700900123"

    private func twoNumbers(_ settings: inout MetaSimulatorSettings) {
        settings.additionalNumbers = [Self.second]
        settings.additionalCodecs = ["PCMU"]
    }

    private func secondClient(_ harness: Harness) -> GraphClient {
        var settings = harness.client.settings
        settings.phoneNumberID = Self.second.phoneNumberID
        settings.accessToken = "second-token"
        return GraphClient(settings: settings, httpClient: harness.client.httpClient)
    }

    private func connectError(_ client: GraphClient, to user: String) async -> Int? {
        do {
            let id = try await client.connect(to: user, offer: Harness.sdp())
            try await client.terminate(callID: id)
            return nil
        } catch let error as WhatsAppCloudError {
            return error.graphError?.code
        } catch {
            Issue.record("unexpected \(error)")
            return -1
        }
    }

    @Test func eachNumberStartsWithItsOwnCodecsAndChangesAlone() async throws {
        try await Harness.run(configure: twoNumbers) { harness in
            let second = secondClient(harness)
            #expect(try await harness.client.callingSettings().audio?.additionalCodecs == ["PCMU"])
            #expect(try await second.callingSettings().audio?.additionalCodecs == ["PCMA"])
            try await second.updateCallingSettings(CallingSettings(callbackPermissionStatus: "ENABLED"))
            #expect(try await second.callingSettings().callbackPermissionStatus == "ENABLED")
            #expect(try await harness.client.callingSettings().callbackPermissionStatus == "DISABLED")
        }
    }

    @Test func aDisabledOrSIPModeNumberRefusesItsOwnCallsOnly() async throws {
        try await Harness.run(configure: twoNumbers) { harness in
            let second = secondClient(harness)
            await harness.simulator.grantPermission(to: user, notify: false)
            let changed = try await harness.control.changeSettings(["status": "DISABLED"], businessNumber: "+15550100001")
            #expect(changed["calling"]?["status"]?.stringValue == "DISABLED")
            #expect(await connectError(second, to: user) == 138000)
            #expect(await connectError(harness.client, to: user) == nil)
            #expect(try await harness.client.callingSettings().isEnabled)
            // The control route without a number changes the first.
            _ = try await harness.control.changeSettings(["sip": ["status": "ENABLED"]])
            #expect(await connectError(harness.client, to: user) == 131055)
            _ = try await harness.control.changeSettings(["status": "ENABLED"], businessNumber: Self.second.phoneNumberID)
            #expect(await connectError(second, to: user) == nil)
            await #expect(throws: SimulatorError.self) {
                _ = try await harness.control.changeSettings(["status": "ENABLED"], businessNumber: "+4915100000000")
            }
        }
    }

    @Test func aUserCannotCallADisabledNumberButCanCallTheOther() async throws {
        try await Harness.run(configure: twoNumbers) { harness in
            _ = try await harness.control.changeSettings(["status": "DISABLED"], businessNumber: "15550100001")
            await #expect(throws: SimulatorError.self) {
                _ = try await harness.control.userCalls(user, businessNumber: "+15550100001")
            }
            let call = try await harness.control.userCalls(user)
            #expect(call["id"]?.stringValue?.isEmpty == false)
        }
    }
}

/// `GET /{id}/settings?include_sip_credentials=true`: the simulator adds its app
/// id and the number's SIP password to each server while SIP is enabled.
@Suite struct SimulatorSIPCredentialsTests {
    @Test func aSIPModeNumberGetsItsConfiguredPasswordOnlyWhenAsked() async throws {
        try await Harness.run(configure: { $0.primarySIP = SimulatedNumberSIP(domain: "sip.example.com", password: "configured-pass") }) { harness in
            _ = try await harness.control.changeSettings(["sip": ["status": "DISABLED"]])
            #expect(try await harness.client.sipCredentials().servers.isEmpty)
            _ = try await harness.control.changeSettings(
                ["sip": ["status": "ENABLED", "servers": [["hostname": "sip.example.com", "port": 5061]]]])
            let credentials = try await harness.client.sipCredentials()
            #expect(credentials.status == "ENABLED")
            #expect(credentials.servers == [.init(hostname: "sip.example.com", port: 5061,
                                                  appID: MetaSimulatorSettings(appSecret: "x").appID,
                                                  password: "configured-pass")])
            #expect(try await harness.client.callingSettings().sip?.servers?.count == 1)
        }
    }

    @Test func withoutOneTheSimulatorGeneratesAPasswordAndKeepsIt() async throws {
        try await Harness.run { harness in
            _ = try await harness.control.changeSettings(
                ["sip": ["status": "ENABLED", "servers": [["hostname": "sip.example.com"]]]])
            let first = try #require(try await harness.client.sipCredentials().servers.first?.password)
            #expect(first.count == 32 && first.allSatisfy { $0.isLetter || $0.isNumber })
            #expect(try await harness.client.sipCredentials().servers.first?.password == first)
        }
    }
}
