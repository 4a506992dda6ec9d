// Error codes Meta puts only in terminate webhooks (a call that already
// existed ended at Meta's side), and the text an operator reads for each.

extension FailureMapping {
    /// Meta's terminate-only codes with what they mean and what to look at
    /// (docs/whatsapp.md#errors, docs/call-flows.md O14).
    static let terminateAdvice: [Int: String] = [
        138019: "call setup failed at Meta: retry the call",
        138020: "Meta's media relay connection failed: check that UDP from Meta's relays reaches the RTP ports",
        138021: "Meta received no media from the business: check the WebRTC leg's firewall and NAT",
        138022: "Meta could not send media to the business: check the public address and RTP ports",
        138023: "call accepted but no media flowed: check ICE and DTLS on the WebRTC leg",
    ]

    /// The `Warning`/CDR text of a terminate webhook's first error:
    /// `WhatsApp CODE: <what to do> (<Meta's title>)`, or nil without errors.
    public static func terminateDetail(_ errors: [WhatsAppCallError]) -> String? {
        guard let first = errors.first else { return nil }
        let code = first.code.map(String.init) ?? "?"
        let advice = first.code.flatMap { terminateAdvice[$0] } ?? "call ended by WhatsApp with an error"
        let title = first.title.map { " (\(String($0.prefix(120))))" } ?? ""
        return "WhatsApp \(code): \(advice)\(title)"
    }
}
