// The Embedded Signup page wagate serves at `GET /onboarding/`: it runs Meta's
// flow with Meta's JavaScript SDK and posts what the flow returns (the
// authorisation code, WABA id and phone number id) to the onboarding endpoint.

import Foundation

/// What the onboarding page needs to run Meta's Embedded Signup flow. Every
/// value is public (Meta's SDK shows the app id and configuration id to any
/// visitor); no secret is rendered into the page.
public struct OnboardingPageSettings: Sendable, Equatable {
    /// The Meta app id (`[onboarding] app_id`, else `[whatsapp] app_id`).
    public var appID: String
    /// The Embedded Signup configuration id (`[onboarding] config_id`).
    public var configID: String
    /// Where the page loads Meta's JavaScript SDK from (`[onboarding] sdk_url`).
    public var sdkURL: String
    /// The Graph API version the SDK is initialised with, e.g. `v26.0`.
    public var graphVersion: String
    /// The origin whose `WA_EMBEDDED_SIGNUP` messages the page trusts (`[onboarding] dialog_origin`).
    public var dialogOrigin: String
    /// The path the page posts the signup result to.
    public var signupPath: String

    /// Creates the settings.
    public init(appID: String, configID: String, sdkURL: String, graphVersion: String,
                dialogOrigin: String, signupPath: String = "/onboarding/signup") {
        self.appID = appID
        self.configID = configID
        self.sdkURL = sdkURL
        self.graphVersion = graphVersion
        self.dialogOrigin = dialogOrigin
        self.signupPath = signupPath
    }
}

/// Renders the onboarding page.
///
/// The page is self-contained apart from Meta's SDK: the settings travel in a
/// `<script type="application/json">` data block (every character outside a
/// small safe set written as a `\uXXXX` escape, so no value can close the block
/// or start markup), the page's own script is a constant, and the SDK's URL is
/// the only value in an HTML attribute (entity-escaped, and only `https:` or
/// `http:` URLs are rendered at all). The script writes server and dialog data
/// with `textContent` only.
public enum OnboardingPage {
    /// The id of the data block holding the settings.
    static let settingsElementID = "wagate-onboarding-settings"

    /// The page's HTML for `settings`.
    public static func html(_ settings: OnboardingPageSettings) -> String {
        let json = HTMLEscaping.scriptJSON([
            ("appId", settings.appID), ("configId", settings.configID), ("graphVersion", settings.graphVersion),
            ("dialogOrigin", settings.dialogOrigin), ("signupPath", settings.signupPath),
        ])
        let sdkTag = isWebURL(settings.sdkURL)
            ? "<script async defer crossorigin=\"anonymous\" src=\"\(HTMLEscaping.htmlAttribute(settings.sdkURL))\"></script>"
            : "<!-- no SDK: sdk_url is not an http(s) URL -->"
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Connect a WhatsApp number</title>
        <style>\(style)</style></head>
        <body><main>
        <h1>Connect a WhatsApp number</h1>
        <p>Meta's Embedded Signup opens in a window of its own. When it finishes, the number is added to this
        gateway and takes calls at once.</p>
        <label for="token">Onboarding token</label>
        <input id="token" type="password" autocomplete="off" spellcheck="false">
        <label for="name">Name for the number (optional)</label>
        <input id="name" type="text" maxlength="64" autocomplete="off" spellcheck="false">
        <button id="connect" type="button" disabled>Connect WhatsApp number</button>
        <p id="status" role="status" aria-live="polite" data-state="loading">Loading Meta's SDK…</p>
        </main>
        <script type="application/json" id="\(settingsElementID)">\(json)</script>
        <script>\(script)</script>
        \(sdkTag)
        </body></html>
        """
    }

    /// True when `value` is an absolute `https:` or `http:` URL with a host.
    static func isWebURL(_ value: String) -> Bool {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false
        else { return false }
        return scheme == "https" || scheme == "http"
    }
}
