import Foundation

/// Plain settings for ``GraphClient``; the composition layer fills them from config.
public struct GraphClientSettings: Sendable, CustomStringConvertible {
    /// Scheme, host and optional port, without the version: `https://graph.facebook.com`,
    /// or the simulator's `http://127.0.0.1:8081`.
    public var baseURL: String
    /// The Graph version path segment, e.g. `v26.0`; `graph_version` in sip.conf
    /// owns the value and its expiry checks (Config's `GraphVersion`).
    public var apiVersion: String
    /// The business phone number's id (`PHONE_NUMBER_ID`).
    public var phoneNumberID: String
    /// The system-user access token. Sent as a bearer token; never logged.
    public var accessToken: String
    /// Deadline for one HTTP exchange.
    public var requestTimeout: Duration
    /// How many times a 429 (or, for idempotent reads, a 5xx or timeout) is retried.
    public var maxRetries: Int
    /// The first backoff; doubled per attempt.
    public var initialBackoff: Duration
    /// The longest wait before a retry. A `Retry-After` longer than this is not waited
    /// for: the error is returned so the caller can answer 503 with Retry-After.
    public var maxBackoff: Duration

    /// Creates settings with Meta's production base URL by default.
    public init(baseURL: String = "https://graph.facebook.com", apiVersion: String,
                phoneNumberID: String, accessToken: String, requestTimeout: Duration = .seconds(10),
                maxRetries: Int = 2, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(5)) {
        self.baseURL = baseURL
        self.apiVersion = apiVersion
        self.phoneNumberID = phoneNumberID
        self.accessToken = accessToken
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// A description with the access token redacted.
    public var description: String {
        "GraphClientSettings(baseURL: \(baseURL), apiVersion: \(apiVersion), phoneNumberID: \(phoneNumberID), "
            + "accessToken: <redacted>, requestTimeout: \(requestTimeout))"
    }

    /// The URL of `path` (relative to the version), e.g. `"123/calls"`.
    public func url(for path: String, query: [(String, String)] = []) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var url = "\(base)/\(apiVersion)/\(path)"
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            url += "?" + (components.percentEncodedQuery ?? "")
        }
        return url
    }
}
