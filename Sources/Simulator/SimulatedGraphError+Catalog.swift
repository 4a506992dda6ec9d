import Foundation
import WhatsAppCloud

/// Meta's error codes as the simulator answers them when a test injects one:
/// Meta's HTTP status, title and `error_data.details` (Meta's "Troubleshoot
/// WhatsApp Calling Errors" and "Error codes" pages; docs/whatsapp.md#errors).
extension SimulatedGraphError {
    /// The error Meta sends for `code`; an unlisted code gets HTTP 400 and a generic title.
    static func catalog(_ code: Int, nextAllowed: Double? = nil) -> SimulatedGraphError {
        if code == 138012 {
            return .dailyLimit(nextAllowed: nextAllowed.map { Date(timeIntervalSince1970: $0) })
        }
        guard let (status, message, details) = catalog[code] else {
            return Self(code: code, httpStatus: 400, message: "Unknown error \(code)")
        }
        return Self(code: code, httpStatus: status, message: message, details: details)
    }

    /// Code → (HTTP status, message, details).
    static let catalog: [Int: (Int, String, String?)] = [
        2: (503, "Service temporarily unavailable", nil),
        4: (429, "Application request limit reached", nil),
        10: (403, "Application does not have permission for this action", nil),
        100: (400, "Invalid parameter", "No fingerprint found in SDP"),
        190: (401, "Invalid OAuth access token", nil),
        368: (403, "Temporarily blocked for policies violations", nil),
        613: (429, "Fetch Call Permission For Consumer Phone Number API Limit Hit",
              "Limit reached for requests to the fetch call permission status API"),
        80007: (400, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit"),
        130429: (400, "Rate limit hit", "Cloud API message throughput has been reached"),
        131000: (500, "Something went wrong", nil),
        131005: (403, "Access denied", "Permission is either not granted or has been removed"),
        131008: (400, "Required parameter is missing", nil),
        131009: (400, "Parameter value is not valid",
                 "Interactive Message type, voice_call not supported. Supported types [button, list]"),
        131016: (500, "Service unavailable", nil),
        131026: (400, "Message Undeliverable", nil),
        131030: (400, "Recipient phone number not in allowed list",
                 "Recipient phone number is not in allowed list"),
        131031: (403, "Account has been locked", nil),
        131042: (400, "Business eligibility payment issue", nil),
        131044: (400, "Business eligibility payment issue", "No valid payment method attached"),
        131055: (400, "Method not allowed", "Graph API calls are not allowed for SIP enabled numbers"),
        131056: (400, "(Business Account, Consumer Account) pair rate limit hit", nil),
        138000: (401, "Calling not enabled", "Calling APIs are not enabled for this phone number"),
        138001: (400, "Receiver Uncallable", "Receiver is unable to receive calls"),
        138002: (429, "Concurrent Calls limit", "Limit reached for maximum concurrent calls (1000) for the given number"),
        138003: (400, "Duplicate call", "A call is already ongoing with the receiver"),
        138004: (500, "Connection error", "Error while connecting the call"),
        138005: (429, "Call rate limit exceeded",
                 "Limit reached for maximum calls that can be initiated by the business phone number"),
        138006: (401, "No approved call permission found", "No approved call permission from the recipient"),
        138007: (500, "Connect Timeout error", "Call was unable to connect due to a timeout"),
        138009: (400, "Call Permission Request Limit Hit",
                 "Limit reached for call permission request sends for the given business and consumer pair"),
        138013: (400, "Business-initiated calling is not available",
                 "Business-initiated calling is not available for this business account phone number"),
        138014: (400, "Calling is temporarily disabled",
                 "Calling APIs for this WhatsApp Business Number have been temporarily disabled for having low quality"),
        138015: (400, "Calling cannot be enabled", "Calling APIs cannot be enabled for this phone number"),
        138017: (400, "Call permission request can't be sent because a permanent permission already exists", nil),
        138018: (400, "WhatsApp Business calling cannot be enabled because technical pre-requisites are not met",
                 "No app subscribed to the calls webhook field"),
    ]
}
