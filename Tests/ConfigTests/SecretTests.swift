// Secrets must never reach logs: not by interpolation, description, dump or reflection.

import Testing
@testable import Config

@Suite("secret redaction")
struct SecretTests {
    @Test("a secret never prints its value")
    func secretNeverPrinted() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "******")
        #expect(String(describing: secret) == "******")
        #expect(String(reflecting: secret) == "******")
        #expect(secret.debugDescription == "******")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(Mirror(reflecting: secret).children.isEmpty)
        #expect(secret.reveal() == "hunter2")
    }

    @Test("configurations holding secrets never print them")
    func configurationsDoNotLeak() throws {
        let text = """
            [alice]
            type = user
            secret = alice-pw-1
            [pbx]
            type = trunk
            host = 192.0.2.1
            username = u
            secret = trunk-pw-2
            remote_username = r
            remote_secret = remote-pw-3
            [whatsapp]
            access_token = token-4
            app_secret = app-5
            verify_token = verify-6
            """
        let config = try TestSupport.parse(text)
        var dumped = ""
        dump(config, to: &dumped)
        let printed = [dumped, "\(config)", String(reflecting: config), "\(config.users)", "\(config.trunks)"]
        for needle in ["alice-pw-1", "trunk-pw-2", "remote-pw-3", "token-4", "app-5", "verify-6"] {
            #expect(!printed.contains { $0.contains(needle) }, "\(needle) leaked")
        }
        #expect(dumped.contains("******"))
    }

    @Test("comparison in constant time still compares")
    func matches() {
        let secret = Secret("abc")
        #expect(secret.matches("abc"))
        #expect(!secret.matches("abd"))
        #expect(!secret.matches("ab"))
        #expect(!secret.matches("abcd"))
        #expect(Secret("").matches(""))
    }
}
