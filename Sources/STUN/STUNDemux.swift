/// RFC 7983 §7 demultiplexing of one UDP socket carrying STUN, DTLS and SRTP:
///
/// ```
///              +----------------+
///              |        [0..3] -+--> forward to STUN
///              |                |
///              |      [16..19] -+--> forward to ZRTP
///              |                |
///  packet -->  |      [20..63] -+--> forward to DTLS
///              |                |
///              |      [64..79] -+--> forward to TURN Channel
///              |                |
///              |    [128..191] -+--> forward to RTP/RTCP
///              +----------------+
/// ```
///
/// True when the first byte is 0–3, the datagram holds a full header, and the
/// magic cookie (RFC 8489 §5) is in place. Allocation-free.
@inlinable
public func isSTUN<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
    guard bytes.count >= 20 else { return false }
    var index = bytes.startIndex
    guard bytes[index] <= 3 else { return false }
    index = bytes.index(index, offsetBy: 4)
    let b0 = bytes[index]
    let b1 = bytes[bytes.index(index, offsetBy: 1)]
    let b2 = bytes[bytes.index(index, offsetBy: 2)]
    let b3 = bytes[bytes.index(index, offsetBy: 3)]
    return b0 == 0x21 && b1 == 0x12 && b2 == 0xA4 && b3 == 0x42
}
