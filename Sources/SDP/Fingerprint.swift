/// `a=fingerprint:<hash-func> <XX:XX:…>` (RFC 8122 §5): the hash of the DTLS
/// certificate, compared with the peer's certificate after the handshake.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The hash function as a lower-case token: `sha-256`, `sha-1`, …
    public var hashFunction: String
    /// The digest bytes.
    public var bytes: [UInt8]

    /// Creates a fingerprint.
    /// - Parameters:
    ///   - hashFunction: the hash function name (lower-cased on output).
    ///   - bytes: the digest.
    public init(hashFunction: String = "sha-256", bytes: [UInt8]) {
        self.hashFunction = hashFunction.lowercased()
        self.bytes = bytes
    }

    /// Parses the value after `a=fingerprint:`; hex digits in either case.
    /// - Throws: `SDPError.Kind.invalidAttribute` on a bad hash name or hex.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw SDPError(.invalidAttribute, "fingerprint needs <hash-func> <hex pairs>")
        }
        var bytes: [UInt8] = []
        for pair in parts[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.utf8.count == 2, pair.utf8.allSatisfy(Self.isHexDigit), let byte = UInt8(pair, radix: 16) else {
                throw SDPError(.invalidAttribute, "fingerprint hex must be colon-separated byte pairs")
            }
            bytes.append(byte)
        }
        self.init(hashFunction: String(parts[0]), bytes: bytes)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    /// Upper-case, colon-separated hex (`AB:CD:…`), as RFC 8122 §5 writes it.
    public var hexString: String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined(separator: ":")
    }

    /// The value after `a=fingerprint:`.
    public var attributeValue: String {
        "\(hashFunction) \(hexString)"
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("fingerprint", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
