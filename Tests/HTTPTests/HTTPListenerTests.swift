import AsyncHTTPClient
import Foundation
import HTTP
import Logging
import ServiceLifecycle
import Testing

/// The one listener set-up every HTTP server uses: the bound port reported for
/// port 0, the `Server` name, and a bind failure reported to the port's waiters.
@Suite struct HTTPListenerTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func server(_ listen: HTTPListenSettings) -> AdminServer {
        AdminServer(listen: listen, guard: BearerAuthGuard(token: "listener-test-token-01", maxFailures: 10),
                    backend: FakeAdminBackend(), logger: quiet)
    }

    @Test func portZeroReportsTheBoundPortAndTheServerIsNamedWagate() async throws {
        let server = Self.server(.init(host: "127.0.0.1", port: 0))
        let group = ServiceGroup(configuration: .init(services: [server], logger: Self.quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.port.wait()
            #expect(port > 0)
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"),
                                                               timeout: .seconds(10))
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "Server") == "wagate")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aBindFailureIsThrownAndTheWaitersGetNoPort() async throws {
        // 192.0.2.1 (TEST-NET-1) is on no interface of a test machine: bind fails.
        let server = Self.server(.init(host: "192.0.2.1", port: 0))
        let waiter = Task { await server.port.value() }
        await #expect(throws: (any Error).self) { try await server.run() }
        #expect(await waiter.value == nil)
        await #expect(throws: HTTPError.self) { try await server.port.wait(host: "192.0.2.1", requested: 0) }
    }
}
