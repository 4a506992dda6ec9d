/// Splits the bytes OpenSSL wrote into a memory BIO back into datagrams.
///
/// A memory BIO concatenates every write, losing datagram boundaries (OpenSSL
/// 3.0 has no datagram memory BIO). Each DTLS record stands alone on the wire,
/// so the records are cut out by their headers and packed in order into
/// datagrams of at most `mtu` bytes — a record never spans two datagrams.
///
/// ```
/// DTLS record header (RFC 6347 §4.1):
///  0      1      2      3      4      5 ...       10     11     12
/// +------+------+------+------+------+------ ... -+------+------+
/// | type | version     | epoch       | sequence_number  | length      |
/// +------+------+------+------+------+------ ... -+------+------+
/// ```
enum DTLSRecordPacker {
    /// Bytes in a DTLS record header.
    static let headerLength = 13

    /// Packs the records in `bytes` into datagrams of at most `mtu` bytes (a
    /// single record larger than `mtu` goes alone). Trailing bytes that do not
    /// form a whole record are sent as they are, in a datagram of their own.
    static func datagrams(from bytes: [UInt8], mtu: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = recordEnd(in: bytes, at: offset)
            if !current.isEmpty && current.count + (end - offset) > mtu {
                datagrams.append(current)
                current = []
            }
            current.append(contentsOf: bytes[offset..<end])
            offset = end
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }

    /// The end of the record starting at `offset`, or the end of `bytes` if the
    /// header or body is cut short.
    private static func recordEnd(in bytes: [UInt8], at offset: Int) -> Int {
        guard bytes.count - offset >= headerLength else { return bytes.count }
        let length = Int(bytes[offset + 11]) << 8 | Int(bytes[offset + 12])
        return min(offset + headerLength + length, bytes.count)
    }
}
