import Foundation
import Testing
@testable import WhatsAppCloud

/// Decoding of every response shape of docs/whatsapp.md#call-actions, and of errors.
@Suite struct GraphResponseTests {
    @Test func connectResponseIDIsCallsZero() throws {
        let response = try JSONDecoder().decode(ConnectResponse.self, from: Fixtures.data("response_connect.json"))
        #expect(response.callID == "wacid.HBgLMTU1NTAwMDExMTEVAgARGBI")
        #expect(try Fixtures.encoded(response) == Fixtures.json("response_connect.json"))
    }

    @Test func successWithAndWithoutMessagingProduct() throws {
        let full = try JSONDecoder().decode(SuccessResponse.self, from: Fixtures.data("response_success.json"))
        let bare = try JSONDecoder().decode(SuccessResponse.self, from: Fixtures.data("response_success_bare.json"))
        #expect(full.success && bare.success)
        #expect(full.messagingProduct == "whatsapp" && bare.messagingProduct == nil)
    }

    @Test func callPermissionsWithLimits() throws {
        let permissions = try JSONDecoder().decode(CallPermissions.self, from: Fixtures.data("response_call_permissions.json"))
        #expect(permissions.permission.status == .temporary)
        #expect(permissions.permission.expirationTime == 1_745_343_479)
        #expect(permissions.canRequestPermission == true)
        #expect(permissions.canStartCall == false)
        #expect(permissions.actions[1].limits[0].limitExpirationTime == 1_745_350_000)
        #expect(try Fixtures.encoded(permissions) == Fixtures.json("response_call_permissions.json"))
    }

    @Test func callPermissionsReadsExpirationAndUppercase() throws {
        let permissions = try JSONDecoder().decode(
            CallPermissions.self, from: Fixtures.data("response_call_permissions_expiration.json"))
        #expect(permissions.permission.status == .permanent)
        #expect(permissions.permission.expirationTime == 1_745_343_479)
    }

    @Test func settingsGet() throws {
        let document = try JSONDecoder().decode(PhoneNumberSettings.self, from: Fixtures.data("response_settings_get.json"))
        let calling = try #require(document.calling)
        #expect(calling.isEnabled)
        #expect(calling.audio?.additionalCodecs == ["PCMA"])
        #expect(calling.callHours?.timezoneID == "Europe/London")
    }

    @Test func messageSent() throws {
        let response = try JSONDecoder().decode(MessageSendResponse.self, from: Fixtures.data("response_message_sent.json"))
        #expect(response.messageID == "wamid.HBgLNDQ3NzAwOTAwMTIzFQIAERgSMEM5")
        #expect(try Fixtures.encoded(response) == Fixtures.json("response_message_sent.json"))
    }

    @Test func graphErrorsAreTypedAndClassified() throws {
        let permission = GraphJSON.graphError(status: 401, body: try Fixtures.data("error_138006.json"))
        #expect(permission.code == 138006 && permission.httpStatus == 401)
        #expect(permission.fbtraceID == "AbCdEfGh123")
        #expect(permission.classification == .noPermission)
        let sdp = GraphJSON.graphError(status: 400, body: try Fixtures.data("error_100_fingerprint.json"))
        #expect(sdp.details == "No fingerprint found in SDP" && sdp.classification == .invalidParameter)
        let daily = GraphJSON.graphError(status: 400, body: try Fixtures.data("error_138012.json"))
        #expect(daily.classification == .dailyCallLimit)
    }

    @Test(arguments: [
        (100, 400, GraphError.Classification.invalidParameter), (131055, 400, .callingUnavailable),
        (138000, 401, .callingUnavailable), (138001, 400, .receiverUncallable), (138002, 429, .concurrencyLimit),
        (138003, 400, .duplicateCall), (138004, 500, .serverError), (138005, 429, .rateLimited),
        (138006, 401, .noPermission), (138007, 500, .connectTimeout), (138009, 400, .permissionRequestLimit),
        (138012, 400, .dailyCallLimit), (138013, 400, .countryUnavailable), (138018, 400, .callingUnavailable),
        (1, 503, .serverError), (4, 429, .rateLimited), (0, 418, .other),
    ])
    func classification(code: Int, status: Int, expected: GraphError.Classification) {
        #expect(GraphError(code: code, httpStatus: status, message: "").classification == expected)
    }

    @Test func nonEnvelopeErrorBodyStillYieldsAnError() {
        let error = GraphJSON.graphError(status: 502, body: Data("<html>Bad gateway</html>".utf8))
        #expect(error.code == 0 && error.classification == .serverError)
    }
}
