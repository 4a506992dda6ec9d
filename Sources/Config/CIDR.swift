// Address blocks in CIDR notation (RFC 4632 for IPv4, RFC 4291 section 2.3
// for IPv6), used for trunk source matching and local networks.

public import NetTypes

/// An IPv4 or IPv6 address block such as `192.168.0.0/16` or `2001:db8::/32`.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address, with every host bit cleared.
    public let network: IPAddress
    /// The number of leading bits that identify the network (0–32 or 0–128).
    public let prefixLength: Int

    /// Creates the block of `address`/`prefixLength`, clearing host bits;
    /// nil when the prefix is out of range for the address family.
    public init?(address: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= address.bytes.count * 8 else { return nil }
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                bytes[index] = 0
            } else if bitsBefore + 8 > prefixLength {
                bytes[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - (prefixLength - bitsBefore)))
            }
        }
        guard let network = IPAddress(bytes: bytes) else { return nil }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses `ADDRESS/PREFIX`, or a bare address meaning a single host (/32 or
    /// /128). Host bits in the address are ignored (`10.1.2.3/8` is `10.0.0.0/8`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        var length = address.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].utf8.count <= 3, let parsed = TextScanning.decimal(parts[1]) else { return nil }
            length = parsed
        }
        self.init(address: address, prefixLength: length)
    }

    /// True when `ip` (textual IPv4 or IPv6, optionally with a `%zone`) lies in
    /// this block. IPv4-mapped IPv6 addresses match IPv4 blocks and vice versa.
    /// Unparseable text is never contained.
    public func contains(_ ip: String) -> Bool {
        let withoutZone = ip.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var text = Substring(withoutZone)
        if text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let address = IPAddress(text) else { return false }
        return contains(address)
    }

    /// True when `address` lies in this block (see ``contains(_:)-(String)``).
    public func contains(_ address: IPAddress) -> Bool {
        let candidate: IPAddress
        if address.bytes.count == network.bytes.count {
            candidate = address
        } else if network.isIPv4, let unmapped = address.unmappedIPv4 {
            candidate = unmapped
        } else if !network.isIPv4, address.isIPv4 {
            candidate = address.mappedIPv6
        } else {
            return false
        }
        guard let masked = CIDR(address: candidate, prefixLength: prefixLength) else { return false }
        return masked.network == network
    }

    /// `NETWORK/PREFIX`, for example `10.0.0.0/8`.
    public var description: String { "\(network)/\(prefixLength)" }
}
