/// `a=ssrc:<ssrc-id> <attribute>[:<value>]` (RFC 5576 §4.1), e.g.
/// `a=ssrc:1234 cname:WhatsAppAudioStream1`.
public struct SSRCAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The synchronisation source identifier.
    public var ssrc: UInt32
    /// The source attribute name: `cname`, `msid`, `label`, …
    public var name: String
    /// The source attribute value, if any.
    public var value: String?

    /// Creates a source attribute.
    public init(ssrc: UInt32, name: String, value: String?) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    /// Creates `a=ssrc:<ssrc> cname:<cname>`.
    /// - Parameters:
    ///   - ssrc: the source id.
    ///   - cname: the RTCP canonical name (RFC 3550 §6.5.1).
    public static func cname(_ ssrc: UInt32, _ cname: String) -> SSRCAttribute {
        SSRCAttribute(ssrc: ssrc, name: "cname", value: cname)
    }

    /// Parses the value after `a=ssrc:`.
    /// - Throws: `SDPError.Kind.invalidAttribute` when the grammar does not match.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let ssrc = UInt32(parts[0]) else {
            throw SDPError(.invalidAttribute, "ssrc needs <32-bit id> <attribute>")
        }
        let pieces = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard !pieces[0].isEmpty else {
            throw SDPError(.invalidAttribute, "ssrc attribute name is empty")
        }
        self.init(ssrc: ssrc, name: String(pieces[0]), value: pieces.count == 2 ? String(pieces[1]) : nil)
    }

    /// The value after `a=ssrc:`.
    public var attributeValue: String {
        if let value {
            return "\(ssrc) \(name):\(value)"
        }
        return "\(ssrc) \(name)"
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("ssrc", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
