import AsyncHTTPClient
import Config
import Foundation
import HTTP
import HTTPTypes
import HummingbirdTLS
import HummingbirdWSClient
import Logging
import NIOCore
import Testing
import WebAgents
import WhatsAppCloud

/// The `[http]` listener's agent socket: upgrade checks, and HTTPS/WSS with its own certificate.
@Suite struct WebhookListenerUpgradeTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A listener with the agent socket. WSClient sends `Origin: ws://127.0.0.1` (no port), a
    /// foreign origin unless `allowClientOrigin` lists it.
    private func withListener(tls: TLSConfiguration? = nil, allowClientOrigin: Bool = true,
                              _ body: (Int) async throws -> Void) async throws {
        var config = GatewayConfig()
        config.webphone.allowedOrigins = allowClientOrigin ? ["ws://127.0.0.1", "wss://127.0.0.1"] : []
        config.users = [UserConfig(name: "dave", secret: Secret("dave-secret"))]
        config.users[0].webrtc = true
        let hub = AgentHub(accounts: AgentAccount.accounts(of: config), policy: AgentPolicy(config: config), logger: Self.quiet)
        let processor = WebhookProcessor(settings: .init(verifyToken: "tok", appSecret: "s"), store: InMemoryWebhookDeliveryStore(),
                                         sink: WebhookEventBroadcaster(), logger: Self.quiet)
        let options = WebhookListenerOptions(tls: tls, webSocket: { hub.register(on: $0, path: "/phone/ws", peer: \.source) })
        let server = try WebhookServer(listen: .init(host: "127.0.0.1", port: 0), processor: processor, logger: Self.quiet,
                                       metrics: { Array("up 1\n".utf8) }, options: options)
        try await serving(server, port: server.port, logger: Self.quiet) { base in
            try await body(Int(base.split(separator: ":").last!)!)
        }
    }

    /// Connects, sends `ping`, returns the first text the server sends back.
    private func ping(_ url: String, headers: HTTPFields, tls: TLSConfiguration? = nil) async throws -> String? {
        let reply = LockedText()
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders = headers
        configuration.sniHostname = "localhost"
        try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: Self.quiet) {
            inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"ping"}"#))
            for try await message in inbound.messages(maxSize: 65_536) {
                if case .text(let text) = message { reply.set(text) }
                break
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return reply.get()
    }

    private static let agentProtocol: HTTPFields = [.secWebSocketProtocol: "wagate.agent.v1"]

    @Test func upgradeWithTheSubprotocolIsServed() async throws {
        try await withListener { port in
            let reply = try await ping("ws://127.0.0.1:\(port)/phone/ws", headers: Self.agentProtocol)
            #expect(reply == #"{"type":"pong"}"#)
        }
    }

    @Test func upgradeRefusedWithoutSubprotocol() async throws {
        try await withListener { port in
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                _ = try await ping("ws://127.0.0.1:\(port)/phone/ws", headers: [:])
            }
        }
    }

    @Test func upgradeRefusedFromAForeignOrigin() async throws {
        try await withListener(allowClientOrigin: false) { port in
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                _ = try await ping("ws://127.0.0.1:\(port)/phone/ws", headers: Self.agentProtocol)
            }
        }
    }

    @Test func tlsListenerServesHTTPSAndWSS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("web.pem").path, key = directory.appendingPathComponent("web.key").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-keyout", key, "-out", cert]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        let server = try WebhookListenerOptions.serverTLS(certificateFile: cert, privateKeyFile: key)
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateVerification = .none
        try await withListener(tls: server) { port in
            let reply = try await ping("wss://127.0.0.1:\(port)/phone/ws", headers: Self.agentProtocol, tls: client)
            #expect(reply == #"{"type":"pong"}"#)
            var configuration = HTTPClient.Configuration()
            configuration.tlsConfiguration = client
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let response = try await http.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/metrics"), timeout: .seconds(5))
            #expect(response.status == .ok)
            try await http.shutdown()
        }
    }
}

/// A string set from a handler and read after it.
private final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ value: String) { lock.withLock { text = value } }
    func get() -> String? { lock.withLock { text } }
}
