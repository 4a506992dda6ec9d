import Foundation
import Testing
@testable import Config

/// `[onboarding]`: off unless present, required secrets, loopback unless allowed, bounded values.
@Suite("onboarding section") struct OnboardingConfigTests {
    static let key = String(repeating: "ab", count: 32)
    static let valid = """
        [whatsapp]
        app_id = 111222333

        [onboarding]
        token = ${TOKEN}
        encryption_key = ${KEY}
        config_id = 444555666
        registration_pin = 123456
        inbound_target = user:alice
        """
    static let environment = ["TOKEN": "0123456789abcdef-token", "KEY": key]

    @Test("absent section: no onboarding")
    func absent() throws {
        #expect(try TestSupport.parse(TestSupport.minimal).onboarding == nil)
    }

    @Test("every key is read; app_id falls back to [whatsapp]; defaults for the page")
    func values() throws {
        let onboarding = try #require(try TestSupport.parse(TestSupport.minimal + "\n" + Self.valid,
                                                              environment: Self.environment).onboarding)
        #expect(onboarding.bind.description == "127.0.0.1:8090")
        #expect(onboarding.token.reveal() == "0123456789abcdef-token")
        #expect(onboarding.encryptionKey.reveal() == Array(repeating: 0xAB, count: 32))
        #expect(onboarding.appID == "111222333")
        // In sandbox mode without any app id, the simulator's app is used.
        #expect(try TestSupport.parse(TestSupport.minimal + "\n" + Self.valid.replacingOccurrences(of: "app_id = 111222333", with: ""),
                                      environment: Self.environment).onboarding?.appID == WhatsAppConfig.sandboxAppID)
        #expect(onboarding.configID == "444555666")
        #expect(onboarding.sdkURL == "https://connect.facebook.net/en_US/sdk.js")
        #expect(onboarding.dialogOrigin == "https://www.facebook.com")
        #expect(onboarding.registrationPIN?.reveal() == "123456")
        #expect(onboarding.inboundTarget == .user("alice"))
        #expect("\(onboarding.encryptionKey)" == "******")
    }

    @Test("a base64 key of 32 bytes is accepted")
    func base64Key() throws {
        let base64 = String(repeating: "q", count: 43) + "="
        let config = try TestSupport.parse(TestSupport.minimal + "\n" + Self.valid,
                                           environment: ["TOKEN": "0123456789abcdef-token", "KEY": base64])
        #expect(config.onboarding?.encryptionKey.reveal().count == 32)
    }

    @Test("missing and weak secrets, bad key, bad PIN and unknown target are reported with lines")
    func problems() {
        let problems = TestSupport.problems(TestSupport.minimal + """

            [onboarding]
            token = short
            encryption_key = 00ff
            registration_pin = 12345
            inbound_target = user:nobody
            config_id = abc
            """)
        #expect(problems.contains { $0.contains("'token' of [onboarding] must be at least 16") })
        #expect(problems.contains { $0.contains("'encryption_key' of [onboarding] must be 32 bytes") })
        #expect(problems.contains { $0.contains("'registration_pin' of [onboarding] must be 6 digits") })
        #expect(problems.contains { $0.contains("unknown user 'nobody'") })
        #expect(problems.contains { $0.contains("'config_id' of [onboarding] must be digits") })
        #expect(!problems.joined().contains("short"))
    }

    @Test("a non-loopback bind needs allow_insecure_bind")
    func insecureBind() throws {
        let text = TestSupport.minimal + "\n" + Self.valid + "\nbind = 0.0.0.0:8090\n"
        let problems = TestSupport.problems(text, environment: Self.environment)
        #expect(problems.count == 1 && problems[0].contains("not a loopback address"))
        let allowed = try TestSupport.parse(text + "allow_insecure_bind = yes\n", environment: Self.environment)
        #expect(allowed.onboarding?.allowInsecureBind == true)
        #expect(TestSupport.problems(TestSupport.minimal + "\n" + Self.valid + "\nbind = [::1]:9000\n",
                                     environment: Self.environment).isEmpty)
    }

    @Test("page URLs must be plain http(s) URLs: nothing that could break out of the page")
    func urls() {
        let problems = TestSupport.problems(TestSupport.minimal + "\n" + Self.valid
            + "\nsdk_url = javascript:alert(1)\ndialog_origin = https://x\"><script>\n", environment: Self.environment)
        #expect(problems.count == 2)
    }
}
