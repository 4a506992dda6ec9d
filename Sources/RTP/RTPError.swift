/// Errors of the RTP/RTCP wire-format code. Cases carry no strings so that a
/// failed parse on the packet path allocates nothing; the driver counts them.
public enum RTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer bytes than the structure needs: `needed` bytes, `available` present.
    case truncated(needed: Int, available: Int)
    /// The version field is not 2 (RFC 3550 §5.1, §6.4.1).
    case badVersion(UInt8)
    /// An RTCP length field disagrees with the bytes present or with the packet type.
    case badLength(packetType: UInt8)
    /// Padding set where it is not allowed, or a padding count larger than the packet.
    case badPadding(packetType: UInt8)
    /// A compound RTCP packet that does not start with SR or RR (RFC 3550 §6.1).
    case compoundMustStartWithReport(packetType: UInt8)
    /// More than 31 report blocks, sources or chunks for one RTCP packet's 5-bit count.
    case tooManyItems(Int)
    /// An SDES item or BYE reason longer than 255 bytes.
    case itemTooLong(Int)
    /// The caller's output buffer cannot hold what was asked to be written.
    case bufferTooSmall(needed: Int, available: Int)

    /// A one-line explanation for logs.
    public var description: String {
        switch self {
        case let .truncated(needed, available): "RTP/RTCP packet truncated: needed \(needed) bytes, have \(available)"
        case .badVersion(let version): "RTP/RTCP version \(version), expected 2"
        case .badLength(let type): "RTCP packet type \(type): length field disagrees with the packet"
        case .badPadding(let type): "RTCP packet type \(type): invalid padding"
        case .compoundMustStartWithReport(let type): "compound RTCP starts with packet type \(type), not SR/RR"
        case .tooManyItems(let count): "\(count) items do not fit RTCP's 5-bit count"
        case .itemTooLong(let length): "RTCP text of \(length) bytes exceeds 255"
        case let .bufferTooSmall(needed, available): "output buffer too small: need \(needed) bytes, have \(available)"
        }
    }
}
