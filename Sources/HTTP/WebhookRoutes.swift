import Foundation
public import Hummingbird
public import WhatsAppCloud

/// The webhook receiver's Hummingbird routes: `GET` verification and signed `POST`
/// deliveries at `processor.settings.path`. All logic is in ``WhatsAppCloud/WebhookProcessor``.
public struct WebhookRoutes: Sendable {
    /// The processor the routes call.
    public let processor: WebhookProcessor

    /// Creates the routes.
    public init(processor: WebhookProcessor) {
        self.processor = processor
    }

    /// Adds the GET and POST routes to `router`.
    public func register<Context: RequestContext>(on router: Router<Context>) {
        let processor = self.processor
        let path = RouterPath(processor.settings.path)
        router.get(path) { request, _ -> Response in
            let query = request.uri.queryParameters
            let answer = processor.verify(
                mode: query["hub.mode"].map(String.init), token: query["hub.verify_token"].map(String.init),
                challenge: query["hub.challenge"].map(String.init))
            return Self.response(answer)
        }
        router.post(path) { request, _ -> Response in
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: processor.settings.maxBodyBytes)
            } catch {
                return Self.response(WebhookResponse(status: 413, body: "body too large"))
            }
            let headerName = WebhookSignature.headerName.lowercased()
            let signature = request.headers.first { $0.name.canonicalName == headerName }?.value
            let forwardName = WebhookForward.headerName.lowercased()
            let forward = request.headers.first { $0.name.canonicalName == forwardName }?.value
            let answer = await processor.receive(body: Array(buffer.readableBytesView), signature: signature,
                                                 forward: forward)
            return Self.response(answer)
        }
    }

    /// A plain-text Hummingbird response.
    static func response(_ answer: WebhookResponse) -> Response {
        Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
