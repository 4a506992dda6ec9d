import Foundation
import HTTP
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// The web phone's resources: served over real HTTP with their types and
/// policies, and as text nothing inline, nothing foreign, no markup sinks.
@Suite struct PhonePageTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs a listener with only the phone's routes (on the `[http]`
    /// listener's plain request context); `body` gets its base URL.
    static func withListener(path: String = PhonePage.basePath, _ body: (String) async throws -> Void) async throws {
        let router = Router()
        PhoneRoutes.register(on: router, path: path)
        let port = ListeningPort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in await port.resolve(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        try await serving(app, port: port, logger: quiet, body)
    }

    @Test func theRoutesServeThePageScriptAndStyleWithThePolicies() async throws {
        try await Self.withListener { base in
            for (path, type, marker) in [("/phone", "text/html", "<form id=\"login\""),
                                         ("/phone/", "text/html", "aria-live=\"polite\""),
                                         ("/phone/app.js", "text/javascript", "wagate.agent.v1"),
                                         ("/phone/app.css", "text/css", ":focus-visible")] {
                let (status, headers, body) = try await ConsoleRoutesTests.get(base + path, token: nil)
                #expect(status == 200, "\(path)")
                #expect(headers["content-type"]?.hasPrefix(type) == true, "\(path)")
                #expect(headers["content-security-policy"] == PhonePage.contentSecurityPolicy)
                #expect(headers["permissions-policy"] == PhonePage.permissionsPolicy)
                #expect(headers["x-content-type-options"] == "nosniff")
                #expect(headers["cache-control"] == "no-store")
                #expect(body.contains(marker), "\(path)")
            }
            let (missing, _, _) = try await ConsoleRoutesTests.get(base + "/phone/other.js", token: nil)
            #expect(missing == 404)
        }
    }

    @Test func anotherPathServesThePageThereAndItsLinksFollow() async throws {
        try await Self.withListener(path: "/desk") { base in
            let (status, _, page) = try await ConsoleRoutesTests.get(base + "/desk", token: nil)
            #expect(status == 200)
            #expect(page.contains(#"<script src="/desk/app.js"></script>"#))
            #expect(page.contains(#"href="/desk/app.css""#))
            #expect(!page.contains("/phone/"))
            #expect(try await ConsoleRoutesTests.get(base + "/desk/app.js", token: nil).0 == 200)
            #expect(try await ConsoleRoutesTests.get(base + "/phone", token: nil).0 == 404)
        }
    }

    @Test func thePolicyAllowsTheSocketAndRemoteAudioAndNothingInline() {
        let policy = PhonePage.contentSecurityPolicy
        for directive in ["default-src 'self'", "connect-src 'self'", "media-src 'self' blob:", "script-src 'self'",
                          "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"] {
            #expect(policy.contains(directive))
        }
        #expect(!policy.contains("unsafe"))
        let html = PhonePage.html
        #expect(!html.contains("<style") && !html.contains("style=\""))
        #expect(html.range(of: #" on[a-z]+="#, options: .regularExpression) == nil, "no inline handlers")
        #expect(!html.contains("http"), "no external asset")
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.contains(#"<script src="/phone/app.js"></script>"#))
    }

    @Test func everyControlIsLabelledAndTheStatusIsLive() throws {
        let html = PhonePage.html
        // Every input and select has a <label for=…>.
        let fields = try Regex(#"<(?:input|select) id="([a-z-]+)""#)
        let ids = html.matches(of: fields).map { String($0.output[1].substring ?? "") }
        #expect(ids.count >= 6)
        for id in ids { #expect(html.contains("<label for=\"\(id)\">"), "\(id) has no label") }
        // Controls are buttons with a type (the pad's are made by the script).
        #expect(html.range(of: #"<button(?![^>]*type=")"#, options: .regularExpression) == nil)
        #expect(html.contains(#"role="status" aria-live="polite""#))
        #expect(html.contains(#"<p id="login-error" role="alert">"#))
    }

    @Test func theScriptSpeaksOnlyTheProtocolAndNeverParsesMarkup() {
        let script = PhonePage.script
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
            #expect(!script.contains(sink), "\(sink)")
        }
        #expect(script.contains(#"new WebSocket(scheme + location.host + P.base + "/ws", "wagate.agent.v1")"#))
        #expect(script.contains("sessionStorage.setItem(tokenKey"))
        #expect(!script.contains("localStorage.setItem(tokenKey"), "the token never outlives the tab")
        // No trickle: the SDP goes with the request, no candidate messages.
        #expect(script.contains(#"P.send("answer", {call: call.id, sdp: call.pc.localDescription.sdp})"#))
        #expect(script.contains(#"P.send("dial", {to: to, sdp: call.pc.localDescription.sdp})"#))
        #expect(!script.contains(#"P.send("candidate""#))
        for type in ["login", "presence", "ringing", "reject", "hangup", "dtmf", "hold", "mute", "transfer",
                     "permission.request", "history", "logout"] {
            #expect(script.contains("P.send(\"\(type)\""), "\(type)")
        }
        for hook in ["state:", "dominantFrequency:", "stats:", "lastEvent:"] { #expect(script.contains(hook)) }
    }
}
