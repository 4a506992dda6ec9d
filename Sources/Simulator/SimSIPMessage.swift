// One SIP message as the simulator's SIP-mode Meta reads and writes it
// (RFC 3261 §7): a start line, headers in order, and a body. The product's SIP
// layer is sofia; the simulator keeps a small codec of its own so that it can
// play Meta's side byte for byte.

/// A SIP request or response.
struct SimSIPMessage: Sendable, Equatable {
    /// The start line.
    enum StartLine: Sendable, Equatable {
        /// `METHOD Request-URI SIP/2.0`.
        case request(method: String, uri: String)
        /// `SIP/2.0 code reason`.
        case response(status: Int, reason: String)
    }

    /// The start line.
    var start: StartLine
    /// Header fields in order, names as received.
    var headers: [(name: String, value: String)]
    /// The body (Content-Length bytes).
    var body: [UInt8]

    /// Compact header forms (RFC 3261 §7.3.3) and their full names, lowercased.
    static let compactForms: [String: String] = [
        "v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
        "c": "content-type", "k": "supported", "s": "subject", "e": "content-encoding",
    ]

    /// Creates a message.
    init(start: StartLine, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.start = start
        self.headers = headers
        self.body = body
    }

    static func == (lhs: SimSIPMessage, rhs: SimSIPMessage) -> Bool {
        lhs.start == rhs.start && lhs.body == rhs.body && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The method of a request (nil for a response).
    var method: String? {
        if case .request(let method, _) = start { return method }
        return nil
    }

    /// The Request-URI of a request.
    var requestURI: String? {
        if case .request(_, let uri) = start { return uri }
        return nil
    }

    /// The status code of a response.
    var status: Int? {
        if case .response(let status, _) = start { return status }
        return nil
    }

    /// The full lowercased name of `name` (compact forms expanded).
    static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        return compactForms[lower] ?? lower
    }

    /// Every value of header `name` in order; comma-separated values of Via,
    /// Record-Route and Route are split into one value each.
    func values(_ name: String) -> [String] {
        let wanted = Self.canonical(name)
        let found = headers.filter { Self.canonical($0.name) == wanted }.map(\.value)
        guard ["via", "record-route", "route"].contains(wanted) else { return found }
        return found.flatMap(Self.splitList)
    }

    /// The first value of header `name`.
    func value(_ name: String) -> String? { values(name).first }

    /// The body as text.
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The CSeq number and method.
    var cseq: (number: UInt32, method: String)? {
        guard let parts = value("CSeq")?.split(separator: " ", omittingEmptySubsequences: true),
              parts.count == 2, let number = UInt32(parts[0]) else { return nil }
        return (number, String(parts[1]))
    }

    /// Adds a header at the end.
    mutating func add(_ name: String, _ value: String) { headers.append((name, value)) }

    /// Replaces every value of `name` by `value`.
    mutating func set(_ name: String, _ value: String) {
        let wanted = Self.canonical(name)
        headers.removeAll { Self.canonical($0.name) == wanted }
        headers.append((name, value))
    }

    /// The message on the wire; Content-Length is always written from the body.
    var serialized: [UInt8] {
        var text: String
        switch start {
        case .request(let method, let uri): text = "\(method) \(uri) SIP/2.0\r\n"
        case .response(let status, let reason): text = "SIP/2.0 \(status) \(reason)\r\n"
        }
        for header in headers where Self.canonical(header.name) != "content-length" {
            text += "\(header.name): \(header.value)\r\n"
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return Array(text.utf8) + body
    }

    /// Splits a header value at commas outside quotes and angle brackets.
    static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var angle = false
        for character in value {
            switch character {
            case "\"": quoted.toggle()
            case "<" where !quoted: angle = true
            case ">" where !quoted: angle = false
            case "," where !quoted && !angle:
                parts.append(current.trimmingWhitespace)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        let last = current.trimmingWhitespace
        if !last.isEmpty { parts.append(last) }
        return parts.filter { !$0.isEmpty }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
