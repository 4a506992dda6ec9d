// IPv4 and IPv6 addresses parsed by hand (RFC 4291 section 2.2 text forms),
// so the Config module needs no networking library. Printing follows the
// RFC 5952 canonical form.

/// An IPv4 or IPv6 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// True for an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses dotted-quad IPv4 (`192.0.2.1`, no leading zeros) or IPv6 text
    /// (`2001:db8::1`, `::ffff:192.0.2.1`; no brackets, no zone). Returns nil
    /// for anything else.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        if utf8.contains(UInt8(ascii: ":")) {
            guard let bytes = Self.parseIPv6(utf8) else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.parseIPv4(utf8[...]) else { return nil }
            self.bytes = bytes
        }
    }

    /// Wraps raw bytes (4 or 16 of them).
    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`),
    /// as dual-stack sockets report IPv4 peers; nil otherwise.
    public var unmappedIPv4: IPAddress? {
        guard bytes.count == 16,
              bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF
        else { return nil }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// This IPv4 address as an IPv4-mapped IPv6 address; self when already IPv6.
    public var mappedIPv6: IPAddress {
        guard isIPv4 else { return self }
        return IPAddress(bytes: [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + bytes) ?? self
    }

    /// Dotted quad for IPv4; RFC 5952 form (lowercase, longest zero run as `::`) for IPv6.
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    // MARK: - Parsing

    private static let colon = UInt8(ascii: ":")
    private static let dot = UInt8(ascii: ".")

    /// Four decimal octets 0–255 separated by dots; a leading zero is refused
    /// because some resolvers read `010` as octal.
    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            if part.count > 1, part.first == 0x30 { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    /// Up to eight hex groups with at most one `::`; the last 32 bits may be
    /// written as a dotted quad.
    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
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
        let groups: [UInt16]
        if let split = doubleColon {
            guard let head = parseGroups(text[..<split], lastMayBeIPv4: false),
                  let tail = parseGroups(text[(split + 2)...], lastMayBeIPv4: true),
                  head.count + tail.count <= 7
            else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(text[...], lastMayBeIPv4: true), all.count == 8 else { return nil }
            groups = all
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Colon-separated hex groups of 1–4 digits (empty text gives no groups).
    private static func parseGroups(_ text: ArraySlice<UInt8>, lastMayBeIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: colon, omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if lastMayBeIPv4, index == parts.count - 1, part.contains(dot) {
                guard let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                groups.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
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
