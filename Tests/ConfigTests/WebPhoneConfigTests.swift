import Foundation
import Testing
@testable import Config

/// `[webphone]`, the user key `webrtc` and the `[http]` listener's TLS files.
@Suite("webphone section") struct WebPhoneConfigTests {
    @Test("off and webrtc = no by default; on when a user has webrtc = yes")
    func defaults() throws {
        let plain = try TestSupport.parse(TestSupport.minimal)
        #expect(plain.webphone.enabled == false && plain.users[0].webrtc == false)
        let agent = try TestSupport.parse(TestSupport.minimal + "\nwebrtc = yes\n")
        #expect(agent.webphone.enabled && agent.users[0].webrtc)
        #expect(agent.webphone.socketPath == "/phone/ws")
        #expect(agent.webphone.tokenLifetime == .seconds(43_200) && agent.webphone.maxSessionsPerUser == 3)
    }

    @Test("keys are read and bad values reported with their lines")
    func keys() throws {
        let text = TestSupport.minimal + """

            [webphone]
            path = /agents
            token_lifetime = 3600
            max_sessions_per_user = 1
            reconnect_grace = 0
            allowed_origins = https://Agents.Example.com
            trusted_proxies = 10.0.0.0/8, 192.0.2.1
            """
        let config = try TestSupport.parse(text)
        #expect(config.webphone.path == "/agents" && config.webphone.tokenLifetime == .seconds(3600))
        #expect(config.webphone.allowedOrigins == ["https://agents.example.com"])
        #expect(config.webphone.trustedProxies.count == 2 && config.webphone.reconnectGrace == .zero)
        let bad = TestSupport.problems(TestSupport.minimal + "\n[webphone]\npath = phone\nallowed_origins = ftp://x\ntoken_lifetime = 5\n")
        #expect(bad.count == 3)
        let overlap = TestSupport.problems(TestSupport.minimal + "\n[http]\nwebhook_path = /phone/hook\n[webphone]\npath = /phone\n")
        #expect(overlap.count == 1 && overlap[0].contains("overlaps"))
    }

    @Test("tls_certificate and tls_private_key: both or neither, readable PEM")
    func tls() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-webtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("c.pem").path, key = directory.appendingPathComponent("k.pem").path
        try "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".write(toFile: cert, atomically: true, encoding: .utf8)
        try "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n".write(toFile: key, atomically: true, encoding: .utf8)
        let good = try TestSupport.parse(TestSupport.minimal + "\n[http]\ntls_certificate = \(cert)\ntls_private_key = \(key)\n")
        #expect(good.http.tls == HTTPTLSConfig(certificate: cert, privateKey: key))
        let one = TestSupport.problems(TestSupport.minimal + "\n[http]\ntls_certificate = \(cert)\n")
        #expect(one.count == 1 && one[0].contains("both"))
        let swapped = TestSupport.problems(TestSupport.minimal + "\n[http]\ntls_certificate = \(key)\ntls_private_key = \(cert)\n")
        #expect(swapped.count == 2)
        let missing = TestSupport.problems(TestSupport.minimal + "\n[http]\ntls_certificate = /nonexistent.pem\ntls_private_key = \(key)\n")
        #expect(missing.count == 1 && missing[0].contains("cannot read"))
    }

    @Test("a reload takes [webphone] keys and webrtc live, path needs a restart")
    func reload() throws {
        let running = try TestSupport.parse(TestSupport.minimal + "\nwebrtc = yes\n")
        let loaded = try TestSupport.parse(TestSupport.minimal + "\nwebrtc = no\n[webphone]\nenabled = yes\npath = /p2\nreconnect_grace = 30\n")
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.applied.contains("users") && plan.applied.contains("webphone"))
        #expect(plan.effective.webphone.reconnectGrace == .seconds(30))
        #expect(plan.effective.webphone.path == "/phone")
        #expect(plan.restartRequired.contains("webphone.path"))
    }
}
