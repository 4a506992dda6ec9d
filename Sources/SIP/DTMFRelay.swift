/// Parses DTMF carried in SIP INFO bodies: `application/dtmf-relay`
/// (`Signal=5\r\nDuration=160`, Cisco/Asterisk style) and `application/dtmf`
/// (a bare digit).
enum DTMFRelay {
    static let digits: Set<Character> = Set("0123456789*#ABCD")

    /// The digit and its duration in ms (default 160 ms when absent), or nil.
    static func parse(body: [UInt8], contentType: String?) -> (Character, Int)? {
        guard let type = contentType?.lowercased() else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        if type.hasPrefix("application/dtmf-relay") {
            var digit: Character?
            var duration = 160
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                guard parts.count == 2 else { continue }
                switch parts[0].lowercased() {
                case "signal": digit = normalise(parts[1])
                case "duration": duration = Int(parts[1]).map { min(max($0, 40), 5000) } ?? 160
                default: break
                }
            }
            return digit.map { ($0, duration) }
        }
        if type.hasPrefix("application/dtmf") {
            return normalise(text.trimmingSpaces()).map { ($0, 160) }
        }
        return nil
    }

    private static func normalise(_ value: String) -> Character? {
        if value == "10" { return "*" }
        if value == "11" { return "#" }
        guard value.count == 1, let c = value.uppercased().first, digits.contains(c) else { return nil }
        return c
    }
}
