import Foundation
import Hummingbird
import WhatsAppCloud

/// The Graph endpoints: `/{version}/{PHONE_NUMBER_ID}/{calls|settings|call_permissions|messages}`.
extension MetaSimulator {
    /// Adds the Graph routes, all served by `core`.
    static func addGraphRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore) {
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let segments = ["version", "phone", "edge"].map { context.parameters.get($0) ?? "" }
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            let (status, json, retryAfter) = await core.graphWithHeaders(
                method: request.method.rawValue, segments: segments, query: query,
                authorization: request.headers[.authorization], body: Array(body.readableBytesView))
            var response = jsonResponse(status: status, json)
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
        router.post("/:version/:phone/:edge", use: handler)
        router.get("/:version/:phone/:edge", use: handler)
        // A node read such as `GET /{version}/{phone_number_id}?fields=…` (edge empty).
        router.get("/:version/:phone", use: handler)
    }

    /// A JSON response.
    static func jsonResponse(status: Int, _ json: JSONValue) -> Response {
        let data = (try? GraphJSON.encoder.encode(json)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
