/// One `a=` line: `a=<name>` (a property) or `a=<name>:<value>` (RFC 8866 §5.13).
///
/// The value is kept verbatim so unknown attributes round-trip exactly. `value`
/// is `nil` for a property attribute and `""` for `a=name:` with an empty value.
public struct SDPAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The attribute name, e.g. `rtpmap`, `candidate`, `sendrecv`.
    public var name: String
    /// The text after the first colon, or `nil` for a property attribute.
    public var value: String?

    /// Creates an attribute.
    /// - Parameters:
    ///   - name: the attribute name.
    ///   - value: the value after the colon, or `nil` for a property attribute.
    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// The attribute as it appears after `a=`.
    public var description: String {
        if let value {
            return "\(name):\(value)"
        }
        return name
    }
}

/// Lookups and edits shared by session-level and media-level attribute lists.
extension Array where Element == SDPAttribute {
    /// The value of the first attribute with this name (`""` for a property attribute).
    /// - Parameter name: the attribute name, compared exactly (names are case-sensitive).
    public func firstValue(_ name: String) -> String? {
        guard let attribute = first(where: { $0.name == name }) else { return nil }
        return attribute.value ?? ""
    }

    /// The values of all attributes with this name, in order.
    /// - Parameter name: the attribute name.
    public func values(_ name: String) -> [String] {
        compactMap { $0.name == name ? ($0.value ?? "") : nil }
    }

    /// Whether an attribute with this name is present.
    /// - Parameter name: the attribute name.
    public func contains(_ name: String) -> Bool {
        contains { $0.name == name }
    }

    /// Removes every attribute with this name.
    /// - Parameter name: the attribute name.
    public mutating func removeAll(named name: String) {
        removeAll { $0.name == name }
    }

    /// Replaces the first attribute with this name (keeping its position) and removes
    /// the others, or appends it when absent.
    /// - Parameters:
    ///   - name: the attribute name.
    ///   - value: the new value, or `nil` for a property attribute.
    public mutating func set(_ name: String, _ value: String? = nil) {
        if let index = firstIndex(where: { $0.name == name }) {
            self[index] = SDPAttribute(name, value)
            var seen = false
            removeAll { attribute in
                guard attribute.name == name else { return false }
                defer { seen = true }
                return seen
            }
        } else {
            append(SDPAttribute(name, value))
        }
    }
}
