import AsyncHTTPClient
import Foundation
import HTTP
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// The console on an operator listener over real HTTP: its resources, and the
/// chart's hourly aggregate behind the admin token.
@Suite struct ConsoleRoutesTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let token = "console-route-token-0123"
    static let now = Date(timeIntervalSince1970: 1_800_000_000 + 1800)  // half past a whole hour

    struct Unreadable: Error {}

    /// Runs a listener with `routes` on a free loopback port; `body` gets its base URL.
    static func withListener(_ routes: ConsoleRoutes, _ body: (String) async throws -> Void) async throws {
        let router = Router(context: PeerRequestContext.self)
        routes.register(on: router)
        let port = ListeningPort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in await port.resolve(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do { try await body("http://127.0.0.1:\(try await port.wait())") } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func routes(_ samples: @escaping ConsoleRoutes.Samples) -> ConsoleRoutes {
        ConsoleRoutes(guard: BearerAuthGuard(token: token), samples: samples, logger: quiet, now: { now })
    }

    /// Status, headers (lower-case names) and body of a GET.
    static func get(_ url: String, token: String? = token) async throws -> (Int, [String: String], String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let headers = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        return (Int(response.status.code), headers, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test func resourcesNeedNoTokenAndCarryTheStrictPolicy() async throws {
        try await Self.withListener(Self.routes { _ in [] }) { base in
            for (path, type, marker) in [("/console/", "text/html", "<form id=\"login\""),
                                         ("/console/console.js", "text/javascript", "Bearer "),
                                         ("/console/console.css", "text/css", "@media (max-width:640px)")] {
                let (status, headers, body) = try await Self.get(base + path, token: nil)
                #expect(status == 200)
                #expect(headers["content-type"]?.hasPrefix(type) == true)
                #expect(headers["content-security-policy"] == ConsolePage.contentSecurityPolicy)
                #expect(headers["x-content-type-options"] == "nosniff")
                #expect(body.contains(marker), "\(path)")
            }
        }
    }

    @Test func theHourlyAggregateNeedsTheTokenAndCountsFromTheFirstHour() async throws {
        let asked = Mutex<[Date]>([])
        let routes = Self.routes { since in
            asked.withLock { $0.append(since) }
            return [ConsoleCallSample(setupAt: Self.now.addingTimeInterval(-60), answered: true, failed: false, mos: 4.1)]
        }
        try await Self.withListener(routes) { base in
            let url = base + ConsoleRoutes.hourlyPath
            #expect(try await Self.get(url, token: nil).0 == 401)
            #expect(try await Self.get(url, token: "wrong-token-wrong-token").0 == 401)
            #expect(asked.withLock { $0.isEmpty })
            let (status, _, body) = try await Self.get(url + "?hours=3")
            #expect(status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [[String: Any]]])
            let hours = try #require(object["hours"])
            #expect(hours.map { $0["calls"] as? Int } == [0, 0, 1])
            #expect(hours.last?["mos"] as? Double == 4.1)
            #expect(asked.withLock { $0 } == [Date(timeIntervalSince1970: 1_800_000_000 - 2 * 3600)])
            #expect(try await Self.get(url).2.components(separatedBy: "\"start\"").count == 25)
        }
    }

    @Test func badHoursAre400AndAnUnreadableStoreIs503() async throws {
        try await Self.withListener(Self.routes { _ in throw Unreadable() }) { base in
            let url = base + ConsoleRoutes.hourlyPath
            for hours in ["0", "169", "abc", "-1", "99999999999999999999"] {
                let (status, _, body) = try await Self.get(url + "?hours=" + hours)
                #expect(status == 400 && body.contains("'hours' must be 1-168"), "\(hours): \(body)")
            }
            let (status, _, body) = try await Self.get(url)
            #expect(status == 503 && body.contains("cannot be read"), "\(body)")
        }
    }
}
