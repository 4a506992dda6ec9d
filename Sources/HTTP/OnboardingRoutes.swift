// The onboarding listener's routes: the page without authentication, the API
// with the bearer token. Answers are JSON; errors are `{"error": "text"}`.

import Foundation
public import Hummingbird
public import Logging
public import WhatsAppCloud

/// The routes of the onboarding listener.
public struct OnboardingRoutes: Sendable {
    /// The rendered page.
    let page: String
    /// The bearer-token check.
    let authGuard: OnboardingAuthGuard
    /// What the API calls.
    let backend: any OnboardingBackend
    /// Where refusals are logged (never the token).
    let logger: Logger

    /// Creates the routes.
    public init(page: String, guard authGuard: OnboardingAuthGuard, backend: any OnboardingBackend, logger: Logger) {
        self.page = page
        self.authGuard = authGuard
        self.backend = backend
        self.logger = logger
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<OnboardingRequestContext>) {
        let page = self.page, backend = self.backend
        router.get("/onboarding/") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.post("/onboarding/signup", use: authorized { request, _ in
            var request = request
            guard let buffer = try? await request.collectBody(upTo: OnboardingRequestParsing.maxBodyBytes) else {
                throw OnboardingFailure(status: 413, "the body is larger than \(OnboardingRequestParsing.maxBodyBytes) bytes")
            }
            let signup = try OnboardingRequestParsing.signup(Array(buffer.readableBytesView))
            let number = try await backend.signup(signup)
            return (201, try Self.encode(["number": number]))
        })
        router.get("/onboarding/numbers", use: authorized { _, _ in
            (200, try Self.encode(["numbers": await backend.numbers()]))
        })
        router.delete("/onboarding/numbers/:id", use: authorized { _, context in
            let id = try OnboardingRequestParsing.graphID(context.parameters.get("id"), field: "phone_number_id")
            try await backend.remove(phoneNumberID: id)
            return (204, Data())
        })
    }

    /// Wraps an API action: checks the token, turns failures into JSON errors.
    private func authorized(
        _ action: @escaping @Sendable (Request, OnboardingRequestContext) async throws -> (Int, Data)
    ) -> @Sendable (Request, OnboardingRequestContext) async throws -> Response {
        let authGuard = self.authGuard, logger = self.logger
        return { request, context in
            switch await authGuard.check(authorization: request.headers[.authorization], source: context.source) {
            case .allowed: break
            case .refused:
                logger.warning("onboarding request refused: bad bearer token",
                               metadata: ["source": "\(context.source)", "path": "\(request.uri.path)"])
                return Self.error(401, "missing or wrong bearer token")
            case .locked(let retryAfter):
                var response = Self.error(429, "too many failed attempts; try again later")
                response.headers[.retryAfter] = String(retryAfter)
                return response
            }
            do {
                let (status, body) = try await action(request, context)
                return Self.json(status, body)
            } catch let failure as OnboardingFailure {
                logger.warning("onboarding request failed",
                               metadata: ["path": "\(request.uri.path)", "http.status": "\(failure.status)",
                                          "error": "\(failure.message)"])
                return Self.error(failure.status, failure.message)
            }
        }
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    private static func json(_ status: Int, _ body: Data) -> Response {
        guard status != 204 else { return Response(status: .noContent) }
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func error(_ status: Int, _ message: String) -> Response {
        let body = (try? encode(["error": message])) ?? Data("{}".utf8)
        return json(status, body)
    }
}
