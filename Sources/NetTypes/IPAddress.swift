// The one IP address type of wagate, named by configuration (listeners, CIDR
// blocks, trunk matching) and by the media protocols (STUN, ICE) alike.

/// An IPv4 or IPv6 address held as integers: no allocation, no platform types.
///
/// Text forms: dotted quad for IPv4 (RFC 791, no leading zeros) and for IPv6
/// the RFC 4291 §2.2 forms on input (`::` compression, an embedded IPv4 tail);
/// the RFC 5952 canonical form on output. Brackets and zone ids (`%eth0`) are
/// not part of an address and are refused.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, big-endian in a 32-bit integer.
    case v4(UInt32)
    /// An IPv6 address as two big-endian 64-bit halves.
    case v6(UInt64, UInt64)

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

    /// True for IPv4.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// True for IPv6.
    public var isIPv6: Bool { !isIPv4 }

    /// The network-order bytes (4 or 16).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return stride(from: 24, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> UInt32($0)) }
        case .v6(let high, let low):
            return [high, low].flatMap { half in
                stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: half >> UInt64($0)) }
            }
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`),
    /// as dual-stack sockets report IPv4 peers; nil otherwise.
    public var unmappedIPv4: IPAddress? {
        guard case .v6(let high, let low) = self, high == 0, low >> 32 == 0xFFFF else { return nil }
        return .v4(UInt32(truncatingIfNeeded: low))
    }

    /// This IPv4 address as an IPv4-mapped IPv6 address; self when already IPv6.
    public var mappedIPv6: IPAddress {
        guard case .v4(let value) = self else { return self }
        return .v6(0, 0xFFFF_0000_0000 | UInt64(value))
    }

    /// `192.0.2.1`, or `2001:db8::1` in the RFC 5952 form (lowercase, the
    /// longest run of two or more zero groups as `::`, the first when tied).
    public var description: String {
        switch self {
        case .v4(let value):
            return stride(from: 24, through: 0, by: -8).map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups = [high, low].flatMap { half in
                stride(from: 48, through: 0, by: -16).map { UInt16(truncatingIfNeeded: half >> UInt64($0)) }
            }
            return Self.formatV6(groups)
        }
    }

    /// RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first if tied.
    private static func formatV6(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
