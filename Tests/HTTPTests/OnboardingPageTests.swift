import Foundation
import HTTP
import Testing

/// The onboarding page: every setting lands in the page only in its escaped form,
/// and the page runs Meta's Embedded Signup calls with them.
@Suite struct OnboardingPageTests {
    static let plain = OnboardingPageSettings(
        appID: "300000000000003", configID: "400000000000004", sdkURL: "https://connect.facebook.net/en_US/sdk.js",
        graphVersion: "v26.0", dialogOrigin: "https://www.facebook.com")

    /// The settings object the page's script reads, parsed as the browser parses it.
    func settingsBlock(_ html: String) throws -> [String: String] {
        let open = #"<script type="application/json" id="wagate-onboarding-settings">"#
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let object = try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8))
        return try #require(object as? [String: String])
    }

    @Test func theScriptRunsMetasFlowWithTheSettings() throws {
        let html = OnboardingPage.html(Self.plain)
        #expect(try settingsBlock(html) == [
            "appId": "300000000000003", "configId": "400000000000004", "graphVersion": "v26.0",
            "dialogOrigin": "https://www.facebook.com", "signupPath": "/onboarding/signup",
        ])
        #expect(html.contains(#"src="https://connect.facebook.net/en_US/sdk.js""#))
        for call in ["FB.init({ appId: settings.appId", "FB.login(onLogin, {", "config_id: settings.configId",
                     #"response_type: "code""#, "override_default_response_type: true",
                     "event.origin !== settings.dialogOrigin", #"message.type !== "WA_EMBEDDED_SIGNUP""#,
                     #""Authorization": "Bearer " + current.token"#, "sessionStorage"] {
            #expect(html.contains(call), "missing \(call)")
        }
        #expect(!html.contains("innerHTML"))
    }

    @Test(arguments: [
        "</script><script>alert(1)</script>", "\"};alert(1);//", "'\u{2028}\u{2029}\\", "<!--<script>",
        "a&b<c>d\"e'f`g", "😀\u{0}\u{1F}",
    ])
    func hostileValuesStayInsideTheDataBlock(_ hostile: String) throws {
        let settings = OnboardingPageSettings(
            appID: hostile, configID: hostile, sdkURL: Self.plain.sdkURL, graphVersion: hostile,
            dialogOrigin: hostile, signupPath: hostile)
        let html = OnboardingPage.html(settings)
        let block = try settingsBlock(html)
        #expect(block["appId"] == hostile && block["dialogOrigin"] == hostile && block["signupPath"] == hostile)
        #expect(html.components(separatedBy: "<script").count - 1 == 3)
        #expect(html.components(separatedBy: "</script>").count - 1 == 3)
        #expect(!html.contains("alert(1)</script>") && !html.contains("\u{2028}"))
    }

    @Test func aHostileSDKURLIsEntityEscapedInItsAttribute() {
        let html = OnboardingPage.html(.init(
            appID: "1", configID: "2", sdkURL: #"https://sdk.example/x.js?a=1&b="><script>alert(1)</script>"#,
            graphVersion: "v26.0", dialogOrigin: "https://www.facebook.com"))
        #expect(html.contains(#"src="https://sdk.example/x.js?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#))
        #expect(!html.contains("<script>alert(1)"))
    }

    @Test(arguments: ["javascript:alert(1)", "data:text/javascript,alert(1)", "//cdn.example/sdk.js", "", "https:///x"])
    func onlyWebURLsAreLoadedAsTheSDK(_ url: String) {
        let html = OnboardingPage.html(.init(appID: "1", configID: "2", sdkURL: url, graphVersion: "v26.0",
                                             dialogOrigin: "https://www.facebook.com"))
        #expect(!html.contains("crossorigin"))
        #expect(html.contains("no SDK: sdk_url is not an http(s) URL"))
    }

    @Test func scriptStringsEscapeEverythingOutsideTheSafeSet() {
        #expect(HTMLEscaping.jsString("v26.0 ok") == #""v26.0 ok""#)
        #expect(HTMLEscaping.jsString("<\"&'\n") == #""\u003c\u0022\u0026\u0027\u000a""#)
        #expect(HTMLEscaping.jsString("😀") == #""\ud83d\ude00""#)
        #expect(HTMLEscaping.htmlAttribute(#"a&<>"'"#) == "a&amp;&lt;&gt;&quot;&#39;")
    }
}
