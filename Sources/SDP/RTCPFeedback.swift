/// `a=rtcp-fb:<payload type|*> <type> [<parameter>]` (RFC 4585 §4.2), e.g.
/// `a=rtcp-fb:111 transport-cc` or `a=rtcp-fb:* nack pli`.
public struct RTCPFeedback: Hashable, Sendable, CustomStringConvertible {
    /// The payload type, or `*` for all.
    public var format: String
    /// The feedback type: `ack`, `nack`, `trr-int`, `ccm`, `transport-cc`, …
    public var type: String
    /// The rest (e.g. `pli`), verbatim.
    public var parameter: String?

    /// Creates a feedback attribute.
    public init(format: String, type: String, parameter: String? = nil) {
        self.format = format
        self.type = type
        self.parameter = parameter
    }

    /// Parses the value after `a=rtcp-fb:`.
    /// - Throws: `SDPError.Kind.invalidAttribute` when there is no type.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2 else {
            throw SDPError(.invalidAttribute, "rtcp-fb needs <payload type|*> <type>")
        }
        self.init(format: String(parts[0]), type: String(parts[1]), parameter: parts.count == 3 ? String(parts[2]) : nil)
    }

    /// The payload type, or `nil` for `*`.
    public var payloadType: UInt8? {
        guard let value = UInt8(format), value < 128 else { return nil }
        return value
    }

    /// The value after `a=rtcp-fb:`.
    public var attributeValue: String {
        parameter.map { "\(format) \(type) \($0)" } ?? "\(format) \(type)"
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("rtcp-fb", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
