/// `a=fmtp:<format> <format specific parameters>` (RFC 8866 §6.15).
///
/// The parameter text is kept verbatim; `parameters` splits the common
/// `key=value;key=value` form (RFC 7587 §7 for Opus, RFC 4733 §2.4.1 for events).
public struct FormatParameters: Hashable, Sendable, CustomStringConvertible {
    /// The format (payload type number for RTP).
    public var format: String
    /// The parameter text after the first space, verbatim.
    public var parameterText: String

    /// Creates fmtp from raw parameter text.
    public init(format: String, parameterText: String) {
        self.format = format
        self.parameterText = parameterText
    }

    /// Creates fmtp from key/value pairs joined by `;`.
    /// - Parameters:
    ///   - payloadType: the payload type.
    ///   - parameters: ordered pairs; a `nil` value writes the key alone.
    public init(payloadType: UInt8, parameters: [(key: String, value: String?)]) {
        self.format = String(payloadType)
        self.parameterText = parameters.map { pair in
            pair.value.map { "\(pair.key)=\($0)" } ?? pair.key
        }.joined(separator: ";")
    }

    /// Parses the value after `a=fmtp:`.
    /// - Throws: `SDPError.Kind.invalidAttribute` when there is no format.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let format = parts.first, !format.isEmpty else {
            throw SDPError(.invalidAttribute, "fmtp needs <format> <parameters>")
        }
        self.init(format: String(format), parameterText: parts.count == 2 ? String(parts[1]) : "")
    }

    /// The payload type, when the format is a number 0–127.
    public var payloadType: UInt8? {
        guard let value = UInt8(format), value < 128 else { return nil }
        return value
    }

    /// The `;`-separated parameters as ordered key/value pairs (keys as written).
    public var parameters: [(key: String, value: String?)] {
        parameterText.split(separator: ";").compactMap { item in
            let text = item.trimmingSpaces
            guard !text.isEmpty else { return nil }
            let pieces = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pieces[0].trimmingSpaces), pieces.count == 2 ? String(pieces[1].trimmingSpaces) : nil)
        }
    }

    /// The value of a parameter, keys compared case-insensitively.
    /// - Parameter key: the parameter name, e.g. `useinbandfec`.
    public subscript(key: String) -> String? {
        let wanted = key.lowercased()
        return parameters.first { $0.key.lowercased() == wanted }?.value
    }

    /// The value after `a=fmtp:`.
    public var attributeValue: String {
        parameterText.isEmpty ? format : "\(format) \(parameterText)"
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("fmtp", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
