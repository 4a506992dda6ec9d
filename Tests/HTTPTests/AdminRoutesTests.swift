import AsyncHTTPClient
import Foundation
import HTTP
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// A back end with one live call, `wg-1`, that records what the routes asked of it.
actor FakeAdminBackend: AdminBackend {
    var hungUp: [String] = []
    var draining = false
    var queries: [AdminRecordQuery] = []

    func calls() async -> [AdminCall] {
        [AdminCall(callID: "wg-1", direction: "outbound", phase: "outbound.answered", state: "answered",
                   wacid: "wacid.1", sipCallID: "abc@host", number: "main",
                   sip: AdminLeg(state: "answered", quality: AdminQuality(packetsReceived: 50, packetsLost: 1, jitterMs: 2.5, mos: 4.3)),
                   whatsapp: AdminLeg(state: "answered"))]
    }

    func hangUp(callID: String) async throws(AdminFailure) {
        guard callID == "wg-1" else { throw AdminFailure(status: 404, "no live call \(callID)") }
        hungUp.append(callID)
    }

    func record(callID: String, on: Bool) async throws(AdminFailure) -> String {
        if callID == "wg-opus" { throw AdminFailure(status: 409, "pass-through call: no decoded audio to record") }
        guard callID == "wg-1" else { throw AdminFailure(status: 404, "no live call \(callID)") }
        return "/var/rec/\(callID).wav"
    }

    func registrations() async -> [AdminRegistration] {
        [AdminRegistration(user: "alice", contact: "sip:alice@10.0.0.2", source: "10.0.0.2:5060", transport: "udp",
                           expiresAt: Date(timeIntervalSince1970: 0), userAgent: nil)]
    }

    func records(_ query: AdminRecordQuery) async throws(AdminFailure) -> [any Encodable & Sendable] {
        queries.append(query)
        return [["call_id": "wg-1"]]
    }

    func record(callID: String) async throws(AdminFailure) -> any Encodable & Sendable {
        guard callID == "wg-1" else { throw AdminFailure(status: 404, "no call record \(callID)") }
        return ["call_id": callID]
    }

    func setDraining(_ on: Bool) async -> AdminReadiness {
        draining = on
        return await readiness()
    }

    func reload() async -> (status: Int, report: any Encodable & Sendable) { (422, ["outcome": "refused"]) }

    func readiness() async -> AdminReadiness {
        AdminReadiness(reasons: draining ? ["draining"] : [], activeCalls: 1, draining: draining)
    }

    func cluster() async throws(AdminFailure) -> any Encodable & Sendable {
        ["nodes": ["n1"]]
    }
}

/// The admin listener over real HTTP: token, probes, JSON shapes, and the
/// published OpenAPI document matching the served routes both ways.
@Suite struct AdminRoutesTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let token = "admin-test-token-0123"

    func withServer(maxFailures: Int = 10, _ body: (String, FakeAdminBackend) async throws -> Void) async throws {
        let backend = FakeAdminBackend()
        let authGuard = BearerAuthGuard(token: Self.token, maxFailures: maxFailures)
        let console = ConsoleRoutes(guard: authGuard, samples: { _ in [] }, logger: Self.quiet)
        let server = AdminServer(listen: .init(host: "127.0.0.1", port: 0), guard: authGuard,
                                 backend: backend, extra: { console.register(on: $0) }, logger: Self.quiet)
        try await serving(server, port: server.port, logger: Self.quiet) { base in
            try await body(base, backend)
        }
    }

    func send(_ method: String, _ url: String, token: String? = token) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    /// `(METHOD, /path/{param})` pairs under `paths:` of docs/admin-openapi.yaml.
    static func documentedRoutes() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/admin-openapi.yaml"), encoding: .utf8)
        var routes: Set<String> = [], inPaths = false, path = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    /// Every API route the admin listener serves: its own and the console's.
    static let servedRoutes = AdminRoutes.table + ConsoleRoutes.table

    @Test func theOpenAPIDocumentListsExactlyTheServedRoutes() throws {
        let served = Set(Self.servedRoutes.map {
            "\($0.method) " + $0.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
        }.map { $0.replacingOccurrences(of: " ", with: " /").replacingOccurrences(of: " //", with: " /") })
        let documented = try Self.documentedRoutes()
        #expect(served.subtracting(documented).isEmpty, "served but not documented")
        #expect(documented.subtracting(served).isEmpty, "documented but not served")
        #expect(documented.count == Self.servedRoutes.count)
        // The console page's resources are the only undocumented paths, and none is under the API.
        #expect(!documented.contains { $0.contains(ConsolePage.basePath) })
        #expect(!ConsolePage.basePath.hasPrefix("/api/"))
    }

    @Test func everyDocumentedRouteIsRoutedAndOthersAre404() async throws {
        let documented = try Self.documentedRoutes()
        try await withServer { base, _ in
            for route in documented {
                let parts = route.split(separator: " ")
                let path = parts[1].replacingOccurrences(of: "{id}", with: "wg-1")
                let (status, _) = try await send(String(parts[0]), base + path)
                #expect(![404, 405].contains(status), "\(route)")
            }
            let answer1 = try await send("GET", base + "/api/v1/nope")
            #expect(answer1.0 == 404)
            let answer2 = try await send("PUT", base + "/api/v1/calls")
            #expect(answer2.0 != 200)
        }
    }

    @Test func theAPINeedsTheTokenAndTheProbesDoNot() async throws {
        try await withServer(maxFailures: 2) { base, backend in
            let answer3 = try await send("GET", base + "/healthz", token: nil)
            #expect(answer3 == (200, #"{"status":"ok"}"#))
            let answer4 = try await send("GET", base + "/readyz", token: nil)
            #expect(answer4.0 == 200)
            let answer5 = try await send("DELETE", base + "/api/v1/calls/wg-1", token: nil)
            #expect(answer5.0 == 401)
            let answer6 = try await send("DELETE", base + "/api/v1/calls/wg-1", token: "admin-test-token-0124")
            #expect(answer6.0 == 401, "the second wrong token is refused and locks the source")
            let answer7 = try await send("GET", base + "/api/v1/calls")
            #expect(answer7.0 == 429, "locked out even with the right token")
            #expect(await backend.hungUp.isEmpty)
        }
    }

    @Test func callsHangUpDrainAndReadinessAnswerTheDocumentedJSON() async throws {
        try await withServer { base, backend in
            let (status, calls) = try await send("GET", base + "/api/v1/calls")
            #expect(status == 200)
            #expect(calls == #"{"calls":[{"call_id":"wg-1","direction":"outbound","number":"main","phase":"outbound.answered","#
                + #""sip":{"quality":{"jitter_ms":2.5,"mos":4.3,"packets_lost":1,"packets_received":50},"state":"answered"},"#
                + #""sip_call_id":"abc@host","state":"answered","wacid":"wacid.1","whatsapp":{"state":"answered"}}]}"#)
            let answer8 = try await send("DELETE", base + "/api/v1/calls/wg-1")
            #expect(answer8 == (204, ""))
            #expect(await backend.hungUp == ["wg-1"])
            let answer9 = try await send("DELETE", base + "/api/v1/calls/wg-2")
            #expect(answer9 == (404, #"{"error":"no live call wg-2"}"#))
            let answer10 = try await send("POST", base + "/api/v1/drain")
            #expect(answer10.1
                == #"{"active_calls":1,"draining":true,"ready":false,"reasons":["draining"]}"#)
            let answer11 = try await send("GET", base + "/readyz", token: nil)
            #expect(answer11.0 == 503)
            let answer12 = try await send("POST", base + "/api/v1/undrain")
            #expect(answer12.0 == 200)
            let answer13 = try await send("GET", base + "/readyz", token: nil)
            #expect(answer13.0 == 200)
            let answer14 = try await send("POST", base + "/api/v1/reload")
            #expect(answer14 == (422, #"{"outcome":"refused"}"#))
        }
    }

    @Test func cdrFiltersAreParsedStrictly() async throws {
        try await withServer { base, backend in
            let (status, _) = try await send("GET", base
                + "/api/v1/cdrs?since=2026-01-02T03:04:05Z&until=1800000000&number=main&caller=user:alice&failed=true&limit=5&offset=10&direction=inbound")
            #expect(status == 200)
            let query = try #require(await backend.queries.first)
            #expect(query.since == Date(timeIntervalSince1970: 1_767_323_045))
            #expect(query.until == Date(timeIntervalSince1970: 1_800_000_000))
            #expect(query.number == "main" && query.caller == "user:alice" && query.failed)
            #expect(query.limit == 5 && query.offset == 10 && query.direction == "inbound")
            for bad in ["limit=0", "limit=1001", "failed=maybe", "since=soon", "direction=up", "bogus=1", "offset=-1"] {
                let answer15 = try await send("GET", base + "/api/v1/cdrs?" + bad)
                #expect(answer15.0 == 400, "\(bad)")
            }
            let answer16 = try await send("GET", base + "/api/v1/cdrs/a%20b")
            #expect(answer16.0 == 400)
            #expect(await backend.queries.count == 1)
        }
    }
}
