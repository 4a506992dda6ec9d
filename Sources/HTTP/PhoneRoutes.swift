// The web phone's routes: its constant resources on the listener that also
// carries the agents' signalling socket.

public import Hummingbird

/// Mounts the web phone page on a router.
///
/// The resources are public (they hold no data and no secret); everything an
/// agent sees arrives over the authenticated signalling socket at `/phone/ws`,
/// which the agents' hub registers on the same listener.
public enum PhoneRoutes {
    /// Adds `GET <path>` (also `<path>/`), `<path>/app.js` and `<path>/app.css`
    /// to `router`, whatever its request context. `path` is `[webphone] path`
    /// (default `/phone`), a validated constant of the configuration.
    public static func register<Context: RequestContext>(on router: Router<Context>,
                                                         path: String = PhonePage.basePath) {
        for resource in PhonePage.resources(at: path) {
            let headers = PhonePage.headers(contentType: resource.type)
            let body = ByteBuffer(string: resource.body)
            router.get(RouterPath(resource.path)) { _, _ -> Response in
                Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
            }
        }
    }
}
