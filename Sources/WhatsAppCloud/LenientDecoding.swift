import Foundation

/// Lenient field readers for Meta's JSON: "parse leniently, emit exactly".
///
/// Every reader returns `nil` for a missing key, a `null`, or a value of a type
/// it cannot turn into the wanted one; none of them throws.
extension KeyedDecodingContainer {
    /// A string, also from a number or a boolean.
    func lenientString(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    /// An integer, also from a numeric string or a whole double.
    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite,
           abs(value) < 9e15 { return Int(value) }
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            return Int(text.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// A boolean, also from `"true"`/`"false"`/`1`/`0`.
    func lenientBool(_ key: Key) -> Bool? {
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value != 0 }
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        }
        return nil
    }

    /// A Unix-seconds timestamp (string or number) as a `Date`.
    func lenientDate(_ key: Key) -> Date? {
        guard let text = lenientString(key), let seconds = Double(text), seconds.isFinite else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A nested decodable, or `nil` when it is missing or does not decode.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }

    /// An array whose undecodable elements are skipped instead of failing the whole array.
    func lenientArray<T: Decodable>(_ type: T.Type, _ key: Key) -> [T] {
        guard let wrapped = try? decodeIfPresent([Lenient<T>].self, forKey: key) else { return [] }
        return wrapped.compactMap(\.value)
    }
}

/// Wraps one array element so a bad element decodes to `nil` rather than throwing.
struct Lenient<T: Decodable>: Decodable {
    /// The element, when it decoded.
    let value: T?

    init(from decoder: any Decoder) throws {
        value = try? T(from: decoder)
    }
}

/// A coding key made from any string, for reading objects with unknown keys.
struct AnyCodingKey: CodingKey {
    /// The key.
    let stringValue: String
    /// The index, for array positions.
    let intValue: Int?

    /// A key from a string.
    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    /// A key from a string.
    init?(stringValue: String) { self.init(stringValue) }

    /// A key from an index.
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
