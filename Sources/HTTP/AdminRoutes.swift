// The admin listener's routes: `/healthz` and `/readyz` without authentication
// (for load balancers and systemd), everything under `/api/v1/` behind the
// bearer token. The table below is what docs/admin-openapi.yaml documents.

import Foundation
public import Hummingbird
public import Logging

/// The routes of the admin listener.
public struct AdminRoutes: Sendable {
    /// One route: method, Hummingbird path (`:id` parameters), and whether it needs the token.
    public struct Route: Sendable, Equatable {
        /// `GET`, `POST` or `DELETE`.
        public var method: String
        /// The path, parameters as `:name`.
        public var path: String
        /// False for the health probes.
        public var authenticated: Bool
    }

    /// Every route, in documentation order.
    public static let table: [Route] = [
        Route(method: "GET", path: "/healthz", authenticated: false),
        Route(method: "GET", path: "/readyz", authenticated: false),
        Route(method: "GET", path: "/api/v1/calls", authenticated: true),
        Route(method: "DELETE", path: "/api/v1/calls/:id", authenticated: true),
        Route(method: "POST", path: "/api/v1/calls/:id/recording", authenticated: true),
        Route(method: "DELETE", path: "/api/v1/calls/:id/recording", authenticated: true),
        Route(method: "GET", path: "/api/v1/registrations", authenticated: true),
        Route(method: "GET", path: "/api/v1/cdrs", authenticated: true),
        Route(method: "GET", path: "/api/v1/cdrs/:id", authenticated: true),
        Route(method: "POST", path: "/api/v1/drain", authenticated: true),
        Route(method: "POST", path: "/api/v1/undrain", authenticated: true),
        Route(method: "POST", path: "/api/v1/reload", authenticated: true),
        Route(method: "GET", path: "/api/v1/cluster", authenticated: true),
    ]

    /// What the API calls.
    let backend: any AdminBackend
    /// Token check and JSON errors.
    let route: BearerRoute

    /// Creates the routes.
    public init(guard authGuard: BearerAuthGuard, backend: any AdminBackend, logger: Logger) {
        self.backend = backend
        self.route = BearerRoute(guard: authGuard, logger: logger, name: "admin")
    }

    /// Adds every route of ``table`` to `router`.
    public func register(on router: Router<PeerRequestContext>) {
        for entry in Self.table {
            let handler = entry.authenticated ? route.authorized(action(entry)) : probe(entry)
            router.on(RouterPath(entry.path), method: HTTPRequest.Method(entry.method)!, use: handler)
        }
    }

    /// The unauthenticated health probes: 200 or 503 with a small JSON body.
    private func probe(_ entry: Route) -> @Sendable (Request, PeerRequestContext) async throws -> Response {
        let backend = self.backend
        let live = entry.path == "/healthz"
        return { _, _ in
            if live { return BearerRoute.json(200, try BearerRoute.encode(["status": "ok"])) }
            let readiness = await backend.readiness()
            return BearerRoute.json(readiness.ready ? 200 : 503, try Self.encode(readiness))
        }
    }

    /// The action behind an authenticated route.
    private func action(_ entry: Route) -> @Sendable (Request, PeerRequestContext) async throws -> (Int, Data) {
        let backend = self.backend
        switch (entry.method, entry.path) {
        case ("GET", "/api/v1/calls"):
            return { _, _ in (200, try Self.encode(["calls": await backend.calls()])) }
        case ("DELETE", "/api/v1/calls/:id"):
            return { _, context in
                try await backend.hangUp(callID: try AdminRequestParsing.callID(context.parameters.get("id")))
                return (204, Data())
            }
        case ("POST", "/api/v1/calls/:id/recording"), ("DELETE", "/api/v1/calls/:id/recording"):
            let on = entry.method == "POST"
            return { _, context in
                let id = try AdminRequestParsing.callID(context.parameters.get("id"))
                let path = try await backend.record(callID: id, on: on)
                return (200, try Self.encode(AdminRecordingState(callID: id, recording: on, path: path)))
            }
        case ("GET", "/api/v1/registrations"):
            return { _, _ in (200, try Self.encode(["registrations": await backend.registrations()])) }
        case ("GET", "/api/v1/cdrs"):
            return { request, _ in
                let query = try AdminRequestParsing.recordQuery(request.uri.queryParameters)
                return (200, try Self.encode(AdminRecordList(cdrs: try await backend.records(query))))
            }
        case ("GET", "/api/v1/cdrs/:id"):
            return { _, context in
                let id = try AdminRequestParsing.callID(context.parameters.get("id"))
                return (200, try Self.encode(AnyEncodable(try await backend.record(callID: id))))
            }
        case ("GET", "/api/v1/cluster"):
            return { _, _ in (200, try Self.encode(AnyEncodable(try await backend.cluster()))) }
        case ("POST", "/api/v1/drain"), ("POST", "/api/v1/undrain"):
            let on = entry.path == "/api/v1/drain"
            return { _, _ in (200, try Self.encode(await backend.setDraining(on))) }
        default:
            return { _, _ in
                let (status, report) = await backend.reload()
                return (status, try Self.encode(AnyEncodable(report)))
            }
        }
    }

    /// snake_case keys, ISO 8601 times, sorted keys.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

/// The answer to a recording start or stop.
struct AdminRecordingState: Encodable {
    var callID: String
    var recording: Bool
    var path: String
}

/// `{"cdrs": [...]}`.
struct AdminRecordList: Encodable {
    var cdrs: [any Encodable & Sendable]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(cdrs.map(AnyEncodable.init), forKey: .cdrs)
    }

    enum Key: String, CodingKey { case cdrs }
}

/// Encodes whatever it wraps.
struct AnyEncodable: Encodable {
    let value: any Encodable

    init(_ value: any Encodable) { self.value = value }

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
