/// A certificate fingerprint as SDP carries it (`a=fingerprint`, RFC 8122 §5):
/// a hash algorithm and the digest of the DER certificate.
///
/// Kept independent of the `SDP` module; the driver converts
/// (`DTLSFingerprint(algorithm: .init(name: fp.hashFunction), bytes: fp.bytes)`).
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// Hash algorithms wagate can check (RFC 8122 §5 names).
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        /// `sha-1` (legacy peers).
        case sha1 = "sha-1"
        /// `sha-256`, what wagate offers.
        case sha256 = "sha-256"
        /// `sha-384`.
        case sha384 = "sha-384"
        /// `sha-512`.
        case sha512 = "sha-512"

        /// The algorithm for an SDP hash name in any case, or nil if unsupported.
        public init?(name: String) {
            self.init(rawValue: name.lowercased())
        }
    }

    /// The hash algorithm.
    public var algorithm: Algorithm
    /// The digest bytes.
    public var bytes: [UInt8]

    /// Creates a fingerprint from digest bytes.
    public init(algorithm: Algorithm = .sha256, bytes: [UInt8]) {
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Parses colon-separated hex pairs (either case), e.g. `AB:CD:…`.
    /// Returns nil on malformed text.
    public init?(algorithm: Algorithm = .sha256, hexString: String) {
        var bytes: [UInt8] = []
        for pair in hexString.split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.utf8.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(algorithm: algorithm, bytes: bytes)
    }

    /// Upper-case colon-separated hex (`AB:CD:…`), the SDP form.
    public var hexString: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for (index, byte) in bytes.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The value after `a=fingerprint:`, e.g. `sha-256 AB:CD:…`.
    public var attributeValue: String {
        "\(algorithm.rawValue) \(hexString)"
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
