/// An IPv4 or IPv6 address held as integers: no allocation, no platform types.
///
/// Text forms: dotted quad for IPv4 (RFC 791), and for IPv6 the RFC 4291 §2.2
/// forms on input (`::` compression, an embedded IPv4 tail) and the RFC 5952
/// canonical form on output. Zone ids (`%eth0`) are not accepted.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, big-endian in a 32-bit integer.
    case v4(UInt32)
    /// An IPv6 address as two big-endian 64-bit halves.
    case v6(UInt64, UInt64)

    /// Parses an IPv4 or IPv6 literal; nil for anything else (host names, mDNS, zones).
    public init?(_ text: some StringProtocol) {
        if text.contains(":") {
            guard let value = Self.parseV6(Substring(text)) else { return nil }
            self = value
        } else {
            guard let value = Self.parseV4(Substring(text)) else { return nil }
            self = .v4(value)
        }
    }

    /// Creates an address from 4 or 16 network-order bytes; nil for other lengths.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { ($0 << 8) | UInt32($1) })
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (offset, byte) in bytes.enumerated() {
                if offset < 8 { high = (high << 8) | UInt64(byte) } else { low = (low << 8) | UInt64(byte) }
            }
            self = .v6(high, low)
        default:
            return nil
        }
    }

    /// True for IPv6.
    public var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// The network-order bytes (4 or 16).
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        switch self {
        case .v4(let value):
            for shift in stride(from: 24, through: 0, by: -8) {
                result.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        case .v6(let high, let low):
            for half in [high, low] {
                for shift in stride(from: 56, through: 0, by: -8) {
                    result.append(UInt8(truncatingIfNeeded: half >> UInt64(shift)))
                }
            }
        }
        return result
    }

    /// `192.0.2.1` or `2001:db8::1` (RFC 5952).
    public var description: String {
        switch self {
        case .v4(let value):
            let octets: [String] = stride(from: 24, through: 0, by: -8).map { String((value >> UInt32($0)) & 0xFF) }
            return octets.joined(separator: ".")
        case .v6(let high, let low):
            var groups: [UInt16] = []
            for half in [high, low] {
                for shift in stride(from: 48, through: 0, by: -16) {
                    groups.append(UInt16(truncatingIfNeeded: half >> UInt64(shift)))
                }
            }
            return Self.formatV6(groups)
        }
    }

    private static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = (value << 8) | UInt32(octet)
        }
        return value
    }

    private static func parseV6(_ text: Substring) -> IPAddress? {
        var groups: [UInt16] = []
        var gapIndex: Int?
        var rest = text
        if rest.hasPrefix("::") {
            gapIndex = 0
            rest = rest.dropFirst(2)
        }
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let piece = rest[rest.startIndex..<end]
            if piece.contains(".") {
                guard end == rest.endIndex, let v4 = parseV4(piece) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                rest = rest[end...]
                break
            }
            guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
            groups.append(group)
            rest = rest[end...]
            if rest.hasPrefix("::") {
                guard gapIndex == nil else { return nil }
                gapIndex = groups.count
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(":") {
                rest = rest.dropFirst()
                if rest.isEmpty { return nil }
            }
        }
        if let gapIndex {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gapIndex)
        }
        guard groups.count == 8 else { return nil }
        let high = groups[0..<4].reduce(UInt64(0)) { ($0 << 16) | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { ($0 << 16) | UInt64($1) }
        return .v6(high, low)
    }

    /// RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first if tied.
    private static func formatV6(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
