import Foundation
import Testing
@testable import WhatsAppCloud

/// Business tokens sealed at rest, and the onboarding steps against a fake Graph.
@Suite("onboarding") struct OnboardingSequenceTests {
    static let key = Array(repeating: UInt8(7), count: 32)

    @Test("a sealed token opens with its key, uses a fresh nonce each time, and is not in the blob")
    func roundTrip() throws {
        let cipher = TokenCipher(key: Self.key)
        let first = try cipher.seal("EAAsecret-token")
        let second = try cipher.seal("EAAsecret-token")
        #expect(first != second)
        #expect(first.count == 12 + "EAAsecret-token".utf8.count + 16)
        #expect(!String(decoding: first, as: UTF8.self).contains("secret"))
        #expect(try cipher.open(first, keyID: cipher.keyID) == "EAAsecret-token")
        #expect(cipher.keyID.hasPrefix("k1-") && cipher.keyID.count == 19)
    }

    @Test("another key or a damaged blob gives a clear error, never a crash")
    func wrongKey() throws {
        let cipher = TokenCipher(key: Self.key)
        let other = TokenCipher(key: Array(repeating: 8, count: 32))
        let sealed = try cipher.seal("token")
        #expect(throws: TokenCipher.OpenError.otherKey(cipher.keyID)) { try other.open(sealed, keyID: cipher.keyID) }
        // Same key id claimed, but the key differs: authentication fails.
        #expect(throws: TokenCipher.OpenError.corrupt) { try other.open(sealed, keyID: other.keyID) }
        var damaged = sealed
        damaged[damaged.count - 1] ^= 1
        #expect(throws: TokenCipher.OpenError.corrupt) { try cipher.open(damaged, keyID: cipher.keyID) }
        #expect(throws: TokenCipher.OpenError.corrupt) { try cipher.open([1, 2, 3], keyID: cipher.keyID) }
    }

    @Test("the display number becomes +E164; registration is judged by platform type and status")
    func phoneNumberInfo() throws {
        let json = #"{"display_phone_number":"+1 555-010-9999","platform_type":"CLOUD_API","status":"CONNECTED"}"#
        let info = try JSONDecoder().decode(PhoneNumberInfo.self, from: Data(json.utf8))
        #expect(info.e164 == "+15550109999" && info.isRegistered)
        let pending = PhoneNumberInfo(displayPhoneNumber: "15550109999", platformType: "NOT_APPLICABLE", status: "PENDING")
        #expect(!pending.isRegistered)
        #expect(PhoneNumberInfo(displayPhoneNumber: "12", platformType: nil, status: nil).e164 == nil)
    }

    @Test("the signup's effective name defaults to one derived from the id")
    func names() {
        #expect(OnboardingSignup(code: "c", wabaID: "1", phoneNumberID: "42").effectiveName == "onboarded-42")
        #expect(OnboardingSignup(code: "c", wabaID: "1", phoneNumberID: "42", name: "acme").effectiveName == "acme")
    }
}

extension PhoneNumberInfo {
    init(displayPhoneNumber: String, platformType: String?, status: String?) {
        self.init(displayPhoneNumber: displayPhoneNumber, verifiedName: nil, platformType: platformType, status: status)
    }
}
