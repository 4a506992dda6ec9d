// The operator's web console wagate serves on the admin listener under
// `/console/`: live calls with a hang-up button, registrations, recent CDRs with
// filters, per-call detail and a 24-hour chart, all read from the admin API by
// the browser with the admin bearer token.

public import Hummingbird

/// The web console: three constant resources (page, script, style) served with
/// a strict Content Security Policy.
///
/// No value from the configuration, a request or the store is ever spliced into
/// them, so the resources themselves hold no secret and need no token; every
/// piece of data reaches the browser through the bearer-protected admin API and
/// is written into the page with `textContent` (or SVG attributes) only. The
/// policy allows scripts, styles and fetches from the listener's own origin and
/// nothing else: no inline script or style, no external asset, no framing, no
/// form posts, no plugins.
public enum ConsolePage {
    /// The path prefix the console is served under.
    public static let basePath = "/console/"

    /// The `Content-Security-Policy` header every console resource carries.
    public static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
        "img-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The page's HTML: a log-in form and the (hidden until logged in) console.
    public static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <link rel="icon" href="data:,">
    <title>wagate console</title>
    <link rel="stylesheet" href="/console/console.css"></head>
    <body>
    <header><h1>wagate</h1><span id="node" class="muted"></span>
    <button id="logout" type="button" hidden>Log out</button></header>
    <main>
    <form id="login" autocomplete="off">
    <label for="token">Admin token</label>
    <input id="token" type="password" spellcheck="false" autocomplete="off">
    <button id="login-button" type="submit">Log in</button>
    <p id="login-error" role="alert" data-state=""></p>
    </form>
    <div id="app" hidden>
    <p id="status" role="status" aria-live="polite" data-state=""></p>
    <section id="live"><h2>Live calls <span id="live-count" class="badge">0</span></h2>
    <div class="scroll"><table id="calls"></table></div><p id="calls-empty" class="muted">No live calls.</p></section>
    <section id="detail" hidden><h2>Call <span id="detail-title"></span></h2>
    <button id="detail-close" type="button">Close</button><div id="detail-body"></div></section>
    <section id="overview"><h2>Last 24 hours</h2>
    <p id="chart-summary" class="muted"></p><div id="chart"></div></section>
    <section id="regs"><h2>Registrations <span id="reg-count" class="badge">0</span></h2>
    <div class="scroll"><table id="registrations"></table></div></section>
    <section id="history"><h2>Recent calls</h2>
    <form id="cdr-filters" class="filters">
    <label>Since <select id="f-since"><option value="1">1 hour</option><option value="24" selected>24 hours</option>
    <option value="168">7 days</option><option value="720">30 days</option></select></label>
    <label>Number <input id="f-number" type="text" maxlength="64" spellcheck="false"></label>
    <label>Caller <input id="f-caller" type="text" maxlength="64" spellcheck="false"></label>
    <label class="check"><input id="f-failed" type="checkbox"> Failed only</label>
    <button id="f-apply" type="submit">Apply</button>
    </form>
    <div class="scroll"><table id="cdrs"></table></div><p id="cdrs-empty" class="muted">No calls.</p></section>
    </div>
    </main>
    <script src="/console/console.js"></script>
    </body></html>
    """

    /// Adds `GET /console/`, `/console/console.js` and `/console/console.css`
    /// to `router`. The resources are public (they hold no data); the API they
    /// call is not.
    public static func register<Context: RequestContext>(on router: Router<Context>) {
        // Hummingbird matches `/console` and `/console/` alike.
        let resources = [("", html, "text/html; charset=utf-8"), ("console.js", script, "text/javascript; charset=utf-8"),
                         ("console.css", style, "text/css; charset=utf-8")]
        for (name, body, type) in resources {
            router.get(RouterPath(basePath + name)) { _, _ -> Response in
                Response(status: .ok, headers: headers(contentType: type),
                         body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
            }
        }
    }

    /// The headers of a console resource: its type, the policy (whose
    /// `frame-ancestors 'none'` forbids framing), no caching, no MIME sniffing.
    static func headers(contentType: String) -> HTTPFields {
        [.contentType: contentType, .cacheControl: "no-store", .contentSecurityPolicy: contentSecurityPolicy,
         .xContentTypeOptions: "nosniff"]
    }
}
