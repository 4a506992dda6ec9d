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
    let authGuard: BearerAuthGuard
    /// What the API calls.
    let backend: any OnboardingBackend
    /// Where refusals are logged (never the token).
    let logger: Logger

    /// Creates the routes.
    public init(page: String, guard authGuard: BearerAuthGuard, backend: any OnboardingBackend, logger: Logger) {
        self.page = page
        self.authGuard = authGuard
        self.backend = backend
        self.logger = logger
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<PeerRequestContext>) {
        let page = self.page, backend = self.backend
        let route = BearerRoute(guard: authGuard, logger: logger, name: "onboarding")
        // Hummingbird matches `/onboarding` and `/onboarding/` alike.
        router.get("/onboarding/") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.post("/onboarding/signup", use: route.authorized { request, _ in
            var request = request
            guard let buffer = try? await request.collectBody(upTo: OnboardingRequestParsing.maxBodyBytes) else {
                throw OnboardingFailure(status: 413, "the body is larger than \(OnboardingRequestParsing.maxBodyBytes) bytes")
            }
            let signup = try OnboardingRequestParsing.signup(Array(buffer.readableBytesView))
            let number = try await backend.signup(signup)
            return (201, try BearerRoute.encode(["number": number]))
        })
        router.get("/onboarding/numbers", use: route.authorized { _, _ in
            (200, try BearerRoute.encode(["numbers": await backend.numbers()]))
        })
        router.delete("/onboarding/numbers/:id", use: route.authorized { _, context in
            let id = try OnboardingRequestParsing.graphID(context.parameters.get("id"), field: "phone_number_id")
            try await backend.remove(phoneNumberID: id)
            return (204, Data())
        })
    }
}
