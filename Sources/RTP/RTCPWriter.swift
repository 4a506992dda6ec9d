/// Builds a compound RTCP packet (RFC 3550 §6.1) into a caller's buffer,
/// packet after packet, without allocating: report blocks and sources come in
/// as any collection (`CollectionOfOne`, a stack array, a slice), text as a
/// `String` read through its UTF-8 view.
///
/// ```
/// if encrypted: random 32-bit integer
/// |
/// |[--------- packet --------][---------- packet ----------][-packet-]
/// |
/// |                receiver            chunk        chunk
/// V                reports           item  item   item  item
/// --------------------------------------------------------------------
/// R[SR #sendinfo #site1#site2][SDES #CNAME PHONE #CNAME LOC][BYE##why]
/// --------------------------------------------------------------------
/// |                                                                  |
/// |<-----------------------  compound packet ----------------------->|
/// ```
/// Start with `appendSenderReport` or `appendReceiverReport`; a CNAME should
/// follow. The writer does not enforce the order: `RTCPCompoundPacket.parse` does.
/// The buffer is borrowed: it must outlive the writer. Not thread-safe.
public struct RTCPWriter {
    /// The buffer being written.
    public let buffer: UnsafeMutableRawBufferPointer
    /// Bytes written so far (always a multiple of 4).
    public private(set) var count = 0

    /// Starts writing at the beginning of `buffer`.
    public init(buffer: UnsafeMutableRawBufferPointer) {
        self.buffer = buffer
    }

    /// Appends a sender report (RFC 3550 §6.4.1) with up to 31 report blocks.
    public mutating func appendSenderReport(
        ssrc: UInt32, info: RTCPSenderInfo, reportBlocks: some Collection<RTCPReportBlock>
    ) throws(RTPError) {
        let blocks = reportBlocks.count
        guard blocks <= 31 else { throw .tooManyItems(blocks) }
        let size = 8 + RTCPSenderInfo.size + blocks * RTCPReportBlock.size
        let offset = try reserve(size)
        writeHeader(count: blocks, packetType: RTCPPacketType.senderReport, size: size, at: offset)
        buffer.storeBigEndian(ssrc, at: offset + 4)
        info.write(to: buffer, at: offset + 8)
        var blockOffset = offset + 8 + RTCPSenderInfo.size
        for block in reportBlocks {
            block.write(to: buffer, at: blockOffset)
            blockOffset += RTCPReportBlock.size
        }
    }

    /// Appends a receiver report (RFC 3550 §6.4.2) with up to 31 report blocks.
    public mutating func appendReceiverReport(
        ssrc: UInt32, reportBlocks: some Collection<RTCPReportBlock>
    ) throws(RTPError) {
        let blocks = reportBlocks.count
        guard blocks <= 31 else { throw .tooManyItems(blocks) }
        let size = 8 + blocks * RTCPReportBlock.size
        let offset = try reserve(size)
        writeHeader(count: blocks, packetType: RTCPPacketType.receiverReport, size: size, at: offset)
        buffer.storeBigEndian(ssrc, at: offset + 4)
        var blockOffset = offset + 8
        for block in reportBlocks {
            block.write(to: buffer, at: blockOffset)
            blockOffset += RTCPReportBlock.size
        }
    }

    /// Appends an SDES packet (RFC 3550 §6.5) with one chunk holding only a CNAME item.
    public mutating func appendCNAME(ssrc: UInt32, cname: String) throws(RTPError) {
        let length = cname.utf8.count
        guard length <= 255 else { throw .itemTooLong(length) }
        // SSRC, type, length, text, then at least one null octet, padded to 32 bits.
        let chunkSize = (4 + 2 + length + 1 + 3) & ~3
        let offset = try reserve(4 + chunkSize)
        writeHeader(count: 1, packetType: RTCPPacketType.sourceDescription, size: 4 + chunkSize, at: offset)
        buffer.storeBigEndian(ssrc, at: offset + 4)
        buffer[offset + 8] = RTCPSourceDescription.ItemType.cname
        buffer[offset + 9] = UInt8(length)
        var position = offset + 10
        for byte in cname.utf8 {
            buffer[position] = byte
            position += 1
        }
        zero(from: position, to: offset + 4 + chunkSize)
    }

    /// Appends a BYE packet (RFC 3550 §6.6) for up to 31 sources, with an optional reason.
    public mutating func appendGoodbye(sources: some Collection<UInt32>, reason: String? = nil) throws(RTPError) {
        let sourceCount = sources.count
        guard sourceCount <= 31 else { throw .tooManyItems(sourceCount) }
        let reasonLength = reason?.utf8.count ?? 0
        guard reasonLength <= 255 else { throw .itemTooLong(reasonLength) }
        let reasonSize = reason == nil ? 0 : (1 + reasonLength + 3) & ~3
        let size = 4 + 4 * sourceCount + reasonSize
        let offset = try reserve(size)
        writeHeader(count: sourceCount, packetType: RTCPPacketType.goodbye, size: size, at: offset)
        var position = offset + 4
        for source in sources {
            buffer.storeBigEndian(source, at: position)
            position += 4
        }
        guard let reason else { return }
        buffer[position] = UInt8(reasonLength)
        position += 1
        for byte in reason.utf8 {
            buffer[position] = byte
            position += 1
        }
        zero(from: position, to: offset + size)
    }

    /// Claims `size` bytes (a multiple of 4) and returns their offset.
    mutating func reserve(_ size: Int) throws(RTPError) -> Int {
        guard buffer.count - count >= size else {
            throw .bufferTooSmall(needed: count + size, available: buffer.count)
        }
        defer { count += size }
        return count
    }

    /// Writes a common header for a packet of `size` bytes.
    func writeHeader(count itemCount: Int, packetType: UInt8, size: Int, at offset: Int) {
        RTCPHeader(count: UInt8(itemCount), packetType: packetType, length: UInt16(size / 4 - 1))
            .write(to: buffer, at: offset)
    }

    /// Zero-fills bytes in `start..<end`.
    func zero(from start: Int, to end: Int) {
        for index in start..<end {
            buffer[index] = 0
        }
    }
}
