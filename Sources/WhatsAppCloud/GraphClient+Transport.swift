import AsyncHTTPClient
public import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// When a failed Graph request may be sent again.
enum GraphRetryPolicy: Sendable {
    /// Only after a 429 (Meta refused the request, so nothing happened).
    case rateLimitOnly
    /// Also after a 5xx, a timeout or a transport error (safe for reads).
    case idempotent
}

/// Sending, retrying and decoding.
extension GraphClient {
    /// Encodes `body`, sends it, retries per `retry`, and decodes the success body.
    func send<Body: Encodable & Sendable, Response: Decodable>(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], body: Body?,
        retry: GraphRetryPolicy, outcomeUnknownOnTimeout: Bool = false, metadata: Logger.Metadata = [:]
    ) async throws -> Response {
        var logger = self.logger
        logger[metadataKey: "graph.path"] = .string(path)
        for (key, value) in metadata { logger[metadataKey: key] = value }
        let encoded: Data?
        do {
            encoded = try body.map { try GraphJSON.encoder.encode($0) }
        } catch {
            throw WhatsAppCloudError.encoding(String(describing: error))
        }
        var attempt = 0
        while true {
            do {
                let (status, bytes, retryAfter) = try await exchange(
                    method, path: path, query: query, body: encoded, outcomeUnknownOnTimeout: outcomeUnknownOnTimeout)
                logger.debug("graph response", metadata: ["http.status": "\(status)", "graph.attempt": "\(attempt)"])
                return try decodeResponse(status: status, bytes: bytes, retryAfter: retryAfter, path: path)
            } catch let error as WhatsAppCloudError {
                guard attempt < settings.maxRetries, let delay = retryDelay(for: error, attempt: attempt, policy: retry) else {
                    logger.warning("graph request failed", metadata: ["error": "\(error)"])
                    throw error
                }
                attempt += 1
                logger.info("graph request retried", metadata: ["error": "\(error)", "graph.backoff": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// One HTTP exchange: the status, the body (at most 1 MiB) and an error's `Retry-After` header.
    private func exchange(_ method: HTTPMethod, path: String, query: [(String, String)], body: Data?,
                          outcomeUnknownOnTimeout: Bool) async throws -> (Int, Data, String?) {
        var request = HTTPClientRequest(url: settings.url(for: path, query: query))
        request.method = method
        // The OAuth code exchange carries the app's credentials in the query instead.
        if !settings.accessToken.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(settings.accessToken)")
        }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await httpClient.execute(request, timeout: .init(settings.requestTimeout))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            let retryAfter = response.status.code >= 400 ? response.headers.first(name: "Retry-After") : nil
            return (Int(response.status.code), Data(buffer.readableBytesView), retryAfter)
        } catch let error as HTTPClientError {
            switch error {
            case .connectTimeout:
                throw WhatsAppCloudError.timeout(path: path, outcomeUnknown: false)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                throw WhatsAppCloudError.timeout(path: path, outcomeUnknown: outcomeUnknownOnTimeout)
            default:
                throw WhatsAppCloudError.transport(path: path, reason: String(describing: error))
            }
        } catch let error as WhatsAppCloudError {
            throw error
        } catch {
            throw WhatsAppCloudError.transport(path: path, reason: String(describing: error))
        }
    }

    /// Turns a status and body into the response value or a ``GraphError``.
    private func decodeResponse<Response: Decodable>(status: Int, bytes: Data, retryAfter: String?,
                                                     path: String) throws -> Response {
        if (200..<300).contains(status) {
            do {
                return try GraphJSON.decoder.decode(Response.self, from: bytes)
            } catch {
                throw WhatsAppCloudError.unexpectedResponse(
                    path: path, httpStatus: status, body: String(decoding: bytes.prefix(512), as: UTF8.self))
            }
        }
        throw WhatsAppCloudError.graph(GraphError.parse(status: status, body: bytes, retryAfterHeader: retryAfter))
    }

    /// The wait before the next attempt, or `nil` when the error must not be retried.
    private func retryDelay(for error: WhatsAppCloudError, attempt: Int, policy: GraphRetryPolicy) -> Duration? {
        let backoff = min(settings.initialBackoff * (1 << min(attempt, 16)), settings.maxBackoff)
        switch error {
        case .graph(let graph) where graph.isRetryable:
            guard let retryAfter = graph.retryAfter else { return backoff }
            return retryAfter <= settings.maxBackoff ? retryAfter : nil
        case .graph(let graph) where policy == .idempotent && graph.classification == .serverError:
            return backoff
        case .timeout, .transport:
            return policy == .idempotent ? backoff : nil
        default:
            return nil
        }
    }
}

/// The JSON coders the Graph client and the simulator share.
public enum GraphJSON {
    /// Emits compact JSON with sorted keys (stable for goldens) and unescaped slashes.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A plain decoder (types do their own lenient reading).
    public static var decoder: JSONDecoder { JSONDecoder() }

    /// Builds a ``GraphError`` from an error response (see ``GraphError/parse(status:body:retryAfterHeader:)``).
    public static func graphError(status: Int, body: Data, retryAfterHeader: String? = nil) -> GraphError {
        GraphError.parse(status: status, body: body, retryAfterHeader: retryAfterHeader)
    }
}
