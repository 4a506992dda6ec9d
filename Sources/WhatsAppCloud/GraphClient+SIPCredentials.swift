import Foundation

extension GraphClient {
    /// `GET /{PHONE_NUMBER_ID}/settings?include_sip_credentials=true`: the
    /// number's SIP servers with Meta's digest password for each. Retried like
    /// every idempotent read. Nothing of the response is logged.
    public func sipCredentials() async throws -> SIPCredentials {
        try await send(
            .GET, path: "\(settings.phoneNumberID)/settings", query: [("include_sip_credentials", "true")],
            body: Optional<PhoneNumberSettings>.none, retry: .idempotent)
    }
}
