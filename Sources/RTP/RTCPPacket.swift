/// One RTCP packet of a compound packet, decoded (RFC 3550 §6.4–§6.6).
/// Types this module does not model (APP, RTPFB, PSFB, XR, …) are kept as
/// their header and body bytes.
public enum RTCPPacket: Sendable, Equatable {
    /// Sender report (PT 200).
    case senderReport(RTCPSenderReport)
    /// Receiver report (PT 201).
    case receiverReport(RTCPReceiverReport)
    /// Source description (PT 202).
    case sourceDescription(RTCPSourceDescription)
    /// Goodbye (PT 203).
    case goodbye(RTCPGoodbye)
    /// Any other type: the header and the bytes after it (padding removed).
    case other(header: RTCPHeader, body: [UInt8])

    /// The RTCP packet type number.
    public var packetType: UInt8 {
        switch self {
        case .senderReport: RTCPPacketType.senderReport
        case .receiverReport: RTCPPacketType.receiverReport
        case .sourceDescription: RTCPPacketType.sourceDescription
        case .goodbye: RTCPPacketType.goodbye
        case .other(let header, _): header.packetType
        }
    }

    /// The report blocks of an SR or RR; empty for other packets.
    public var reportBlocks: [RTCPReportBlock] {
        switch self {
        case .senderReport(let report): report.reportBlocks
        case .receiverReport(let report): report.reportBlocks
        default: []
        }
    }

    /// Decodes one packet whose header was read at `range.lowerBound`;
    /// `range` covers the packet without its padding.
    public static func parse(_ bytes: UnsafeRawBufferPointer, header: RTCPHeader, range: Range<Int>) throws(RTPError) -> RTCPPacket {
        switch header.packetType {
        case RTCPPacketType.senderReport:
            return .senderReport(try .parse(bytes, header: header, range: range))
        case RTCPPacketType.receiverReport:
            return .receiverReport(try .parse(bytes, header: header, range: range))
        case RTCPPacketType.sourceDescription:
            return .sourceDescription(try .parse(bytes, header: header, range: range))
        case RTCPPacketType.goodbye:
            return .goodbye(try .parse(bytes, header: header, range: range))
        default:
            return .other(header: header, body: Array(bytes[(range.lowerBound + RTCPHeader.size)..<range.upperBound]))
        }
    }

    /// Writes the packet at the writer's position. An `.other` packet is
    /// written with its header's count and type, without padding.
    public func write(to writer: inout RTCPWriter) throws(RTPError) {
        switch self {
        case .senderReport(let report): try report.write(to: &writer)
        case .receiverReport(let report): try report.write(to: &writer)
        case .sourceDescription(let description): try description.write(to: &writer)
        case .goodbye(let goodbye): try goodbye.write(to: &writer)
        case let .other(header, body):
            let size = (RTCPHeader.size + body.count + 3) & ~3
            guard size <= 4 * 65_536 else { throw .badLength(packetType: header.packetType) }
            let offset = try writer.reserve(size)
            writer.writeHeader(count: Int(header.count), packetType: header.packetType, size: size, at: offset)
            for (index, byte) in body.enumerated() {
                writer.buffer[offset + RTCPHeader.size + index] = byte
            }
            writer.zero(from: offset + RTCPHeader.size + body.count, to: offset + size)
        }
    }
}
