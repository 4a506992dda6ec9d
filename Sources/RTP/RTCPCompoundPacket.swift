/// Walks the packets of a compound RTCP packet (RFC 3550 §6.1) without
/// allocating, checking each length against the bytes present.
///
/// ```
/// [--------- packet --------][---------- packet ----------][-packet-]
/// |<-------------------- compound packet (one datagram) ---------->|
/// ```
/// Only the last packet may set the padding bit (RFC 3550 A.2).
public struct RTCPCompoundIterator {
    /// The datagram being walked (borrowed; it must outlive the iterator).
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the next packet.
    public private(set) var offset = 0

    /// Starts at the first packet of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next packet's header and byte range (padding excluded), or nil after the last.
    public mutating func next() throws(RTPError) -> (header: RTCPHeader, range: Range<Int>)? {
        guard offset < bytes.count else { return nil }
        let header = try RTCPHeader.parse(bytes, at: offset)
        let size = header.packetSize
        guard bytes.count - offset >= size else { throw .truncated(needed: offset + size, available: bytes.count) }
        let start = offset
        offset += size
        var end = offset
        if header.padding {
            // Padding is allowed on the last packet of the compound only.
            guard offset == bytes.count else { throw .badPadding(packetType: header.packetType) }
            let padding = Int(bytes[end - 1])
            guard padding > 0, padding <= size - RTCPHeader.size else { throw .badPadding(packetType: header.packetType) }
            end -= padding
        }
        return (header, start..<end)
    }
}

/// A compound RTCP packet: the packets of one datagram, decoded (RFC 3550 §6.1).
public struct RTCPCompoundPacket: Sendable, Equatable {
    /// The packets, in order.
    public var packets: [RTCPPacket]

    /// Creates a compound packet.
    public init(packets: [RTCPPacket]) {
        self.packets = packets
    }

    /// Parses a datagram. With `requireReportFirst` (the default) the first
    /// packet must be an SR or RR as RFC 3550 §6.1 requires; pass false to
    /// accept reduced-size RTCP (RFC 5506).
    public static func parse(_ bytes: UnsafeRawBufferPointer, requireReportFirst: Bool = true) throws(RTPError) -> RTCPCompoundPacket {
        var iterator = RTCPCompoundIterator(bytes)
        var packets: [RTCPPacket] = []
        while let (header, range) = try iterator.next() {
            if packets.isEmpty, requireReportFirst,
               header.packetType != RTCPPacketType.senderReport, header.packetType != RTCPPacketType.receiverReport {
                throw .compoundMustStartWithReport(packetType: header.packetType)
            }
            packets.append(try RTCPPacket.parse(bytes, header: header, range: range))
        }
        guard !packets.isEmpty else { throw .truncated(needed: RTCPHeader.size, available: bytes.count) }
        return RTCPCompoundPacket(packets: packets)
    }

    /// Writes all packets into `buffer`; returns the bytes written.
    public func write(to buffer: UnsafeMutableRawBufferPointer) throws(RTPError) -> Int {
        var writer = RTCPWriter(buffer: buffer)
        for packet in packets {
            try packet.write(to: &writer)
        }
        return writer.count
    }

    /// The sender reports in the packet.
    public var senderReports: [RTCPSenderReport] {
        packets.compactMap { if case .senderReport(let report) = $0 { report } else { nil } }
    }

    /// Every report block of every SR and RR in the packet.
    public var reportBlocks: [RTCPReportBlock] { packets.flatMap(\.reportBlocks) }
}
