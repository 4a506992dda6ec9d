/// A `Reason` header (RFC 3326 §2): `Reason: SIP;cause=403;text="…"`, the
/// text made header-safe (it may quote a Graph API error).
public struct SIPReasonHeader: Sendable, Equatable, CustomStringConvertible {
    /// `SIP` or `Q.850`.
    public var protocolName: String
    /// The cause code.
    public var cause: Int
    /// The text, unquoted; omitted when nothing printable is left of it.
    public var text: String?

    /// Creates a Reason header.
    public init(protocolName: String = "SIP", cause: Int, text: String? = nil) {
        self.protocolName = protocolName
        self.cause = cause
        self.text = text
    }

    /// The header value.
    public var description: String {
        let quoted = text.flatMap { SIPHeaderText.quoted($0, limit: SIPWarning.textLimit) }.map { ";text=\($0)" } ?? ""
        return "\(protocolName);cause=\(cause)\(quoted)"
    }

    /// The whole `Reason: …` header line.
    public var header: String { "Reason: \(self)" }
}
