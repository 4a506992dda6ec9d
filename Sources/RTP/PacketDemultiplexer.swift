/// What arrived on a socket shared by STUN, DTLS and (S)RTP/(S)RTCP.
public enum DemultiplexedProtocol: Sendable, Equatable {
    /// STUN (first byte 0–3).
    case stun
    /// ZRTP (first byte 16–19).
    case zrtp
    /// DTLS (first byte 20–63).
    case dtls
    /// TURN channel data (first byte 64–79).
    case turnChannel
    /// RTP (first byte 128–191, second byte not an RTCP type).
    case rtp
    /// RTCP (first byte 128–191, second byte 192–223).
    case rtcp
    /// Anything else: drop it.
    case unknown
}

/// RFC 7983 demultiplexing of one UDP 5-tuple, as pure predicates on the
/// first bytes of a datagram, with RFC 5761 §4 separating RTP from RTCP.
///
/// ```
///                 +----------------+
///                 |        [0..3] -+--> forward to STUN
///                 |                |
///                 |      [16..19] -+--> forward to ZRTP
///                 |                |
///     packet -->  |      [20..63] -+--> forward to DTLS
///                 |                |
///                 |      [64..79] -+--> forward to TURN Channel
///                 |                |
///                 |    [128..191] -+--> forward to RTP/RTCP
///                 +----------------+
/// ```
/// (RFC 7983 §7.) Within 128–191 the second byte is the RTP M bit and payload
/// type, or the RTCP packet type: RTCP types 192–223 are RTP payload types
/// 64–95 with either marker value, which rtcp-mux forbids RTP to use
/// (RFC 5761 §4).
public enum PacketDemultiplexer {
    /// Whether the first byte is in STUN's range (0–3).
    @inline(__always)
    public static func isSTUN(firstByte: UInt8) -> Bool { firstByte <= 3 }

    /// Whether the first byte is in ZRTP's range (16–19).
    @inline(__always)
    public static func isZRTP(firstByte: UInt8) -> Bool { (16...19).contains(firstByte) }

    /// Whether the first byte is in DTLS's range (20–63).
    @inline(__always)
    public static func isDTLS(firstByte: UInt8) -> Bool { (20...63).contains(firstByte) }

    /// Whether the first byte is in TURN ChannelData's range (64–79).
    @inline(__always)
    public static func isTURNChannel(firstByte: UInt8) -> Bool { (64...79).contains(firstByte) }

    /// Whether the first byte is in RTP/RTCP's range (128–191).
    @inline(__always)
    public static func isRTPOrRTCP(firstByte: UInt8) -> Bool { (128...191).contains(firstByte) }

    /// Whether the second byte of an RTP/RTCP packet marks RTCP: payload type
    /// (marker masked off) in 64–95 (RFC 5761 §4).
    @inline(__always)
    public static func isRTCP(secondByte: UInt8) -> Bool { (64...95).contains(secondByte & 0x7f) }

    /// Whether a datagram is RTCP on a muxed RTP/RTCP port (RFC 5761 §4).
    @inline(__always)
    public static func isRTCP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && isRTPOrRTCP(firstByte: bytes[0]) && isRTCP(secondByte: bytes[1])
    }

    /// Whether a datagram is RTP on a muxed RTP/RTCP port.
    @inline(__always)
    public static func isRTP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && isRTPOrRTCP(firstByte: bytes[0]) && !isRTCP(secondByte: bytes[1])
    }

    /// Classifies a datagram by RFC 7983 and RFC 5761.
    public static func classify(_ bytes: UnsafeRawBufferPointer) -> DemultiplexedProtocol {
        guard let first = bytes.first else { return .unknown }
        switch first {
        case 0...3: return .stun
        case 16...19: return .zrtp
        case 20...63: return .dtls
        case 64...79: return .turnChannel
        case 128...191:
            guard bytes.count >= 2 else { return .unknown }
            return isRTCP(secondByte: bytes[1]) ? .rtcp : .rtp
        default: return .unknown
        }
    }
}
