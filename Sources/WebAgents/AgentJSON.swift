// The JSON value the agent protocol's codec reads and writes: strict types
// (a number is never a boolean), unknown keys kept out of the typed messages.

import Foundation

/// A JSON value, decoded strictly: `1` is a number, never `true`.
public enum AgentJSON: Sendable, Equatable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([AgentJSON])
    /// An object.
    case object([String: AgentJSON])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: AgentJSON] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(AgentJSON.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [AgentJSON] = []
            while !array.isAtEnd { items.append(try array.decode(AgentJSON.self)) }
            self = .array(items)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null } else if let bool = try? single.decode(Bool.self) { self = .bool(bool) } else if let number = try? single.decode(Double.self) { self = .number(number) } else { self = .string(try single.decode(String.self)) }
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let value):
            var single = encoder.singleValueContainer()
            if value == value.rounded(), abs(value) < 1e15 { try single.encode(Int64(value)) } else { try single.encode(value) }
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(item) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try object.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    /// Parses `bytes` (UTF-8 JSON text); nil when it is not JSON.
    public static func parse(_ bytes: some Collection<UInt8>) -> AgentJSON? {
        try? JSONDecoder().decode(AgentJSON.self, from: Data(bytes))
    }

    /// The compact JSON text, keys sorted.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The member `key` of an object; nil otherwise.
    public subscript(key: String) -> AgentJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The integer, when this is a whole number within `Int`'s range.
    public var intValue: Int? {
        guard case .number(let value) = self, value == value.rounded(), abs(value) < 9e15 else { return nil }
        return Int(value)
    }
}
