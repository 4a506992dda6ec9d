// The agents' web phone wagate serves on the `[http]` listener under `/phone`:
// log-in, presence, incoming calls with answer and reject, a dial pad, call
// controls (timer, mute, hold, hang-up, transfer, DTMF), recent calls and the
// choice of microphone and speaker. The page speaks only the documented
// `wagate.agent.v1` protocol over the WebSocket at `/phone/ws`.

import Foundation
import Hummingbird

/// The web phone: three constant resources (page, script, style) served with a
/// strict Content Security Policy.
///
/// Nothing from the configuration, a request or the store is spliced into
/// them: every datum reaches the browser over the signalling socket and is
/// written with `textContent` only. The policy allows scripts, styles and the
/// socket from the listener's own origin, media from `blob:` (the remote
/// audio), and nothing else: no inline script, no framing, no form posts.
public enum PhonePage {
    /// The page's path (the script and style live beneath it).
    public static let basePath = "/phone"

    /// The `Content-Security-Policy` header every page resource carries.
    /// `connect-src 'self'` covers the `ws:`/`wss:` socket of the same origin
    /// (CSP Level 3); `media-src 'self' blob:` lets the remote stream play.
    public static let contentSecurityPolicy = [
        "default-src 'self'", "connect-src 'self'", "media-src 'self' blob:", "script-src 'self'",
        "style-src 'self'", "img-src 'self' data:", "base-uri 'none'", "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// `Permissions-Policy`: the page may use the microphone and choose the
    /// speaker for itself, never for a frame it embeds; no camera.
    public static let permissionsPolicy = "microphone=(self), speaker-selection=(self), camera=()"

    /// The page's HTML: the log-in form and the (hidden until logged in) phone.
    public static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <link rel="icon" href="data:,">
    <title>wagate phone</title>
    <link rel="stylesheet" href="/phone/app.css"></head>
    <body>
    <header><h1>wagate phone</h1><span id="who" class="muted"></span>
    <span id="presence-state" class="badge" hidden></span>
    <button id="presence" type="button" hidden>Set away</button>
    <button id="logout" type="button" hidden>Log out</button></header>
    <main>
    <p id="status" role="status" aria-live="polite" data-state=""></p>
    <form id="login" autocomplete="on">
    <h2>Log in</h2>
    <label for="user">User</label>
    <input id="user" name="username" type="text" autocomplete="username" spellcheck="false" maxlength="64" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required>
    <button id="login-button" type="submit">Log in</button>
    <p id="login-error" role="alert"></p>
    </form>
    <div id="app" hidden>
    <section id="incoming" hidden aria-labelledby="incoming-title">
    <h2 id="incoming-title">Incoming call</h2>
    <p class="peer"><strong id="in-from"></strong> <span id="in-name"></span></p>
    <p id="in-detail" class="muted"></p><p id="in-cta" class="cta" hidden></p>
    <button id="answer" type="button" class="good">Answer</button>
    <button id="reject" type="button" class="bad">Reject</button>
    </section>
    <section id="call" hidden aria-labelledby="call-title">
    <h2 id="call-title">In call</h2>
    <p class="peer"><strong id="call-peer"></strong> <span id="call-name"></span>
    <span id="call-timer" class="timer" aria-label="Call duration">0:00</span></p>
    <p id="call-state" class="muted"></p>
    <button id="mute" type="button" aria-pressed="false">Mute</button>
    <button id="hold" type="button" aria-pressed="false">Hold</button>
    <button id="hangup" type="button" class="bad">Hang up</button>
    <div class="row"><label for="transfer-to">Transfer to</label>
    <input id="transfer-to" type="text" spellcheck="false" maxlength="64" autocomplete="off">
    <button id="transfer" type="button">Transfer</button>
    <button id="consult" type="button">Consult</button>
    <button id="complete-transfer" type="button" hidden>Complete transfer</button></div>
    </section>
    <section id="dialer" aria-labelledby="dialer-title">
    <h2 id="dialer-title">Dial</h2>
    <form id="dial-form" autocomplete="off">
    <label for="number">Number</label>
    <input id="number" type="tel" spellcheck="false" maxlength="64" autocomplete="off">
    <button id="dial" type="submit" class="good">Call</button>
    </form>
    <div id="pad" class="pad" role="group" aria-label="Dial pad"></div>
    <div id="permission" hidden><p id="permission-text"></p>
    <button id="permission-request" type="button" hidden>Send permission request</button></div>
    </section>
    <section id="devices" aria-labelledby="devices-title">
    <h2 id="devices-title">Audio</h2>
    <label for="mic">Microphone</label><select id="mic"></select>
    <label for="speaker">Speaker</label><select id="speaker"></select>
    <button id="mic-check" type="button" aria-pressed="false">Check microphone</button>
    <span id="level" class="muted"></span>
    </section>
    <section id="recent" aria-labelledby="recent-title">
    <h2 id="recent-title">Recent calls</h2>
    <ol id="history"></ol><p id="history-empty" class="muted">No calls yet.</p>
    </section>
    </div>
    <audio id="remote" autoplay></audio>
    </main>
    <script src="/phone/app.js"></script>
    </body></html>
    """

    /// The resources of a page served at `path` (`[webphone] path`, default
    /// ``basePath``): the page itself, `<path>/app.js` and `<path>/app.css`. Only
    /// the page names the path (its two links); the script finds the socket
    /// beside its own URL.
    static func resources(at path: String = basePath) -> [(path: String, body: String, type: String)] {
        let page = html.replacingOccurrences(of: "\"\(basePath)/app.", with: "\"\(path)/app.")
        return [(path, page, "text/html; charset=utf-8"), (path + "/app.js", script, "text/javascript; charset=utf-8"),
                (path + "/app.css", style, "text/css; charset=utf-8")]
    }

    /// The headers of a page resource: its type, the policies, no caching, no
    /// MIME sniffing.
    static func headers(contentType: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: contentType, .cacheControl: "no-store",
                                  .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff"]
        // A constant, valid field name: the initialiser cannot fail here.
        fields[.init("Permissions-Policy")!] = permissionsPolicy
        return fields
    }
}
