// Typed, bounded reads of one client message's fields.

/// The fields of one message, read with the request id at hand for refusals.
struct AgentFields {
    /// The message object.
    let json: AgentJSON
    /// The request id, once read.
    var re: String?

    /// `0-9 * # A-D` as bytes.
    static let dtmfDigits = Set("0123456789*#ABCD".utf8)

    private func bad(_ key: String, _ expected: String) -> AgentError {
        AgentError(re: re, code: .badMessage, message: "'\(key)' must be \(expected)")
    }

    /// A required string of 1...`max` bytes; `printable` also refuses control characters.
    func text(_ key: String, max: Int, printable: Bool = true) throws(AgentError) -> String {
        guard let value = try optionalText(key, max: max, printable: printable) else {
            throw AgentError(re: re, code: .badMessage, message: "'\(key)' is missing")
        }
        return value
    }

    /// An optional string of 1...`max` bytes.
    func optionalText(_ key: String, max: Int, printable: Bool = true) throws(AgentError) -> String? {
        guard let value = json[key], value != .null else { return nil }
        guard let text = value.stringValue, !text.isEmpty, text.utf8.count <= max else {
            throw bad(key, "a string of 1-\(max) bytes")
        }
        if printable, text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw bad(key, "printable text")
        }
        return text
    }

    /// The SDP of `dial` or `answer`.
    func sdp() throws(AgentError) -> String {
        let sdp = try text("sdp", max: AgentProtocol.maxSDPBytes, printable: false)
        guard sdp.hasPrefix("v=0") else { throw bad("sdp", "an SDP body starting with 'v=0'") }
        return sdp
    }

    /// A whole number within `range`; `fallback` when absent (nil: required).
    func int(_ key: String, default fallback: Int?, in range: ClosedRange<Int>) throws(AgentError) -> Int {
        guard let value = json[key], value != .null else {
            guard let fallback else { throw AgentError(re: re, code: .badMessage, message: "'\(key)' is missing") }
            return fallback
        }
        guard let number = value.intValue, range.contains(number) else {
            throw bad(key, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A required boolean.
    func bool(_ key: String) throws(AgentError) -> Bool {
        guard let value = json[key]?.boolValue else { throw bad(key, "true or false") }
        return value
    }

    /// One of an enumeration's raw values; `fallback` when absent (nil: required).
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E?) throws(AgentError) -> E
    where E.RawValue == String {
        guard let value = json[key], value != .null else {
            guard let fallback else { throw AgentError(re: re, code: .badMessage, message: "'\(key)' is missing") }
            return fallback
        }
        guard let text = value.stringValue, let choice = E(rawValue: text) else {
            throw bad(key, "one of " + E.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        return choice
    }
}
