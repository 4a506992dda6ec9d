import Foundation
import Hummingbird
import WhatsAppCloud

/// The browser side of Embedded Signup: the fake JavaScript SDK (`GET /sdk.js`),
/// the dialog it opens (`GET /embedded-signup/dialog`), and the control knob that
/// says how the dialog ends (`PUT|GET /control/embedded-signup`).
extension MetaSimulator {
    /// Adds the Embedded Signup routes, served by `signup`.
    static func addSignupRoutes(to router: Router<BasicRequestContext>, signup: SimulatedEmbeddedSignup) {
        router.get("/sdk.js") { _, _ in
            // The page loads the SDK with crossorigin="anonymous", as Meta's guide does,
            // so the script needs a CORS header to run.
            textResponse(SimulatedEmbeddedSignup.sdkScript, type: "text/javascript; charset=utf-8",
                         extra: [.accessControlAllowOrigin: "*"])
        }
        router.get("/embedded-signup/dialog") { request, _ in
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            let dialog = EmbeddedSignupDialog(query: query)
            guard dialog.hasValidOrigin else {
                return textResponse("the dialog needs the opener's origin", type: "text/plain; charset=utf-8",
                                    status: .badRequest)
            }
            let messages = signup.open(dialog)
            return textResponse(SimulatedEmbeddedSignup.dialogPage(dialog, messages: messages),
                                type: "text/html; charset=utf-8")
        }
        router.put("/control/embedded-signup", use: control { body, _ in
            signup.setOutcome(try EmbeddedSignupOutcome(control: body))
            return signup.json
        })
        router.get("/control/embedded-signup", use: control { _, _ in signup.json })
    }

    /// A text response that no cache keeps.
    static func textResponse(_ text: String, type: String, status: HTTPResponse.Status = .ok,
                             extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
