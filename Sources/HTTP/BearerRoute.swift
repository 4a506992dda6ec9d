// The shape every operator API route shares: the bearer token checked first
// (401, or 429 with Retry-After when locked out), then the action, whose
// failures become `{"error": "text"}` with their status.

public import Foundation
public import Hummingbird
public import Logging
public import WhatsAppCloud

/// A failure an operator API answers with its own status and a safe message.
public protocol APIFailure: Error {
    /// The HTTP status.
    var status: Int { get }
    /// What went wrong, safe to show (never a token).
    var message: String { get }
}

extension OnboardingFailure: APIFailure {}

/// Builds bearer-protected JSON handlers for one listener.
public struct BearerRoute: Sendable {
    /// The token check.
    let authGuard: BearerAuthGuard
    /// Where refusals and failures are logged (never the token).
    let logger: Logger
    /// The API's name in log lines (`onboarding`, `admin`).
    let name: String

    /// Creates the builder.
    public init(guard authGuard: BearerAuthGuard, logger: Logger, name: String) {
        self.authGuard = authGuard
        self.logger = logger
        self.name = name
    }

    /// Wraps an action returning a status and a JSON body: checks the token,
    /// turns ``APIFailure``s into JSON errors.
    public func authorized(
        _ action: @escaping @Sendable (Request, PeerRequestContext) async throws -> (Int, Data)
    ) -> @Sendable (Request, PeerRequestContext) async throws -> Response {
        let authGuard = self.authGuard, logger = self.logger, name = self.name
        return { request, context in
            switch await authGuard.check(authorization: request.headers[.authorization], source: context.source) {
            case .allowed: break
            case .refused(let log):
                if log {
                    logger.warning("\(name) request refused: bad bearer token",
                                   metadata: ["source": "\(context.source)", "path": "\(request.uri.path)"])
                }
                return Self.error(401, "missing or wrong bearer token")
            case .locked(let retryAfter):
                var response = Self.error(429, "too many failed attempts; try again later")
                response.headers[.retryAfter] = String(retryAfter)
                return response
            }
            do {
                let (status, body) = try await action(request, context)
                return Self.json(status, body)
            } catch let failure as any APIFailure {
                logger.warning("\(name) request failed",
                               metadata: ["path": "\(request.uri.path)", "http.status": "\(failure.status)",
                                          "error": "\(failure.message)"])
                return Self.error(failure.status, failure.message)
            }
        }
    }

    /// JSON with sorted keys and unescaped slashes.
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// A JSON response (204 has no body).
    public static func json(_ status: Int, _ body: Data) -> Response {
        guard status != 204 else { return Response(status: .noContent) }
        return Response(status: HTTPResponse.Status(code: status),
                        headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `{"error": message}` with `status`.
    public static func error(_ status: Int, _ message: String) -> Response {
        let body = (try? encode(["error": message])) ?? Data("{}".utf8)
        return json(status, body)
    }
}
