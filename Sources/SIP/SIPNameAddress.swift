/// A `name-addr` (RFC 3261 §20.10, §25.1): an optional quoted display name and
/// a URI in angle brackets, the value of From, To, Contact and
/// P-Asserted-Identity (RFC 3325 §9.1).
public struct SIPNameAddress: Sendable, Equatable, CustomStringConvertible {
    /// The display name as received (a WhatsApp profile name); quoted and cleaned
    /// by ``SIPHeaderText/quotedDisplayName(_:)`` when written, dropped when nothing printable is left.
    public var displayName: String?
    /// The URI text (from ``SIPURI``, or a contact URI a phone registered).
    public var uri: String

    /// Creates a name-addr for a typed URI.
    public init(displayName: String? = nil, uri: SIPURI) {
        self.init(displayName: displayName, uri: uri.description)
    }

    /// Creates a name-addr for URI text already in SIP form.
    public init(displayName: String? = nil, uri: String) {
        self.displayName = displayName
        self.uri = uri
    }

    /// `"Name" <uri>` or `<uri>`.
    public var description: String {
        let display = displayName.flatMap(SIPHeaderText.quotedDisplayName).map { $0 + " " } ?? ""
        return "\(display)<\(uri)>"
    }

    /// The whole `P-Asserted-Identity: …` header line.
    public var assertedIdentityHeader: String { "P-Asserted-Identity: \(self)" }
}
