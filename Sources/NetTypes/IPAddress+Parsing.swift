// Reading IP address text by hand (RFC 4291 §2.2 for IPv6), so that neither
// the configuration nor the protocol modules need a networking library.

extension IPAddress {
    /// Parses dotted-quad IPv4 (`192.0.2.1`; a leading zero is refused because
    /// some resolvers read `010` as octal) or IPv6 text (`2001:db8::1`,
    /// `::ffff:192.0.2.1`); nil for anything else (host names, mDNS names,
    /// brackets, zones, signs).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        if utf8.contains(Self.colon) {
            guard let groups = Self.parseIPv6(utf8) else { return nil }
            let high = groups[0..<4].reduce(UInt64(0)) { ($0 << 16) | UInt64($1) }
            let low = groups[4..<8].reduce(UInt64(0)) { ($0 << 16) | UInt64($1) }
            self = .v6(high, low)
        } else {
            guard let value = Self.parseIPv4(utf8[...]) else { return nil }
            self = .v4(value)
        }
    }

    private static let colon = UInt8(ascii: ":")
    private static let dot = UInt8(ascii: ".")

    /// Four decimal octets 0–255 separated by dots, without leading zeros.
    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> UInt32? {
        let parts = text.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            if part.count > 1, part.first == 0x30 { return nil }
            let value = part.reduce(0) { $0 * 10 + UInt32($1 - 0x30) }
            guard value <= 255 else { return nil }
            result = result << 8 | value
        }
        return result
    }

    /// Eight 16-bit groups from up to eight hex groups with at most one `::`;
    /// the last 32 bits may be written as a dotted quad.
    private static func parseIPv6(_ text: [UInt8]) -> [UInt16]? {
        guard text.count >= 2, text.count <= 45 else { return nil }
        var doubleColon: Int?
        var index = 0
        while index + 1 < text.count {
            if text[index] == colon && text[index + 1] == colon {
                guard doubleColon == nil else { return nil }
                doubleColon = index
                index += 2
            } else {
                index += 1
            }
        }
        guard let split = doubleColon else {
            guard let all = parseGroups(text[...], lastMayBeIPv4: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = parseGroups(text[..<split], lastMayBeIPv4: false),
              let tail = parseGroups(text[(split + 2)...], lastMayBeIPv4: true),
              head.count + tail.count <= 7
        else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// Colon-separated hex groups of 1–4 digits (empty text gives no groups).
    private static func parseGroups(_ text: ArraySlice<UInt8>, lastMayBeIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: colon, omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if lastMayBeIPv4, index == parts.count - 1, part.contains(dot) {
                guard let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(truncatingIfNeeded: v4 >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4))
                continue
            }
            guard (1...4).contains(part.count) else { return nil }
            var value: UInt16 = 0
            for byte in part {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            groups.append(value)
        }
        return groups
    }

    /// The value of one hex digit.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
