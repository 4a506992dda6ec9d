/// A source description packet, RTCP packet type 202 (RFC 3550 §6.5).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |  chunk 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SDES items                          |
/// |                              ...                              |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_2                          |  chunk 2
/// :                              ...                              :
///
/// item (§6.5.1, CNAME):
/// |    CNAME=1    |     length    | user and domain name        ...
/// ```
/// Each chunk's item list ends with at least one null octet and is padded
/// with nulls to a 32-bit boundary.
public struct RTCPSourceDescription: Sendable, Equatable {
    /// SDES item types (RFC 3550 §6.5, §12.2).
    public enum ItemType {
        /// End of the item list.
        public static let end: UInt8 = 0
        /// Canonical end-point identifier (§6.5.1).
        public static let cname: UInt8 = 1
        /// User name (§6.5.2).
        public static let name: UInt8 = 2
        /// Electronic mail address (§6.5.3).
        public static let email: UInt8 = 3
        /// Phone number (§6.5.4).
        public static let phone: UInt8 = 4
        /// Geographic location (§6.5.5).
        public static let location: UInt8 = 5
        /// Application or tool name (§6.5.6).
        public static let tool: UInt8 = 6
        /// Notice/status (§6.5.7).
        public static let note: UInt8 = 7
        /// Private extension (§6.5.8).
        public static let privateExtension: UInt8 = 8
    }

    /// One SDES item: a type and up to 255 bytes of (normally UTF-8) value.
    public struct Item: Sendable, Equatable {
        /// The item type (see `ItemType`).
        public var type: UInt8
        /// The value bytes.
        public var value: [UInt8]

        /// Creates an item from bytes.
        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        /// Creates an item from text.
        public init(type: UInt8, text: String) {
            self.init(type: type, value: Array(text.utf8))
        }

        /// The value decoded as UTF-8 (invalid sequences repaired).
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items describing one source.
    public struct Chunk: Sendable, Equatable {
        /// The source described.
        public var ssrc: UInt32
        /// Its items, in order.
        public var items: [Item]

        /// Creates a chunk.
        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// The CNAME item's text, if the chunk has one.
        public var cname: String? { items.first { $0.type == ItemType.cname }?.text }

        /// The chunk's size on the wire: SSRC, items, at least one null, padding.
        var encodedSize: Int { (4 + items.reduce(0) { $0 + 2 + $1.value.count } + 1 + 3) & ~3 }
    }

    /// The chunks (at most 31).
    public var chunks: [Chunk]

    /// Creates a source description.
    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// Creates a source description with one chunk carrying only a CNAME.
    public init(ssrc: UInt32, cname: String) {
        self.init(chunks: [Chunk(ssrc: ssrc, items: [Item(type: ItemType.cname, text: cname)])])
    }

    /// Parses the packet whose common header `header` was read at `range.lowerBound`;
    /// `range` ends before any padding.
    public static func parse(_ bytes: UnsafeRawBufferPointer, header: RTCPHeader, range: Range<Int>) throws(RTPError) -> RTCPSourceDescription {
        var chunks: [Chunk] = []
        chunks.reserveCapacity(Int(header.count))
        var offset = range.lowerBound + RTCPHeader.size
        for _ in 0..<header.count {
            guard range.upperBound - offset >= 4 else { throw .badLength(packetType: header.packetType) }
            let chunkStart = offset
            var chunk = Chunk(ssrc: bytes.loadBigEndianUInt32(at: offset), items: [])
            offset += 4
            while true {
                guard offset < range.upperBound else { throw .badLength(packetType: header.packetType) }
                let type = bytes[offset]
                if type == ItemType.end { break }
                guard range.upperBound - offset >= 2 else { throw .badLength(packetType: header.packetType) }
                let length = Int(bytes[offset + 1])
                guard range.upperBound - offset >= 2 + length else { throw .badLength(packetType: header.packetType) }
                chunk.items.append(Item(type: type, value: Array(bytes[(offset + 2)..<(offset + 2 + length)])))
                offset += 2 + length
            }
            // Skip the null terminator and padding up to the next 32-bit boundary.
            offset = chunkStart + ((offset + 1 - chunkStart + 3) & ~3)
            guard offset <= range.upperBound else { throw .badLength(packetType: header.packetType) }
            chunks.append(chunk)
        }
        return RTCPSourceDescription(chunks: chunks)
    }

    /// Writes the packet at the writer's position.
    public func write(to writer: inout RTCPWriter) throws(RTPError) {
        guard chunks.count <= 31 else { throw .tooManyItems(chunks.count) }
        for item in chunks.lazy.flatMap(\.items) where item.value.count > 255 {
            throw .itemTooLong(item.value.count)
        }
        let size = 4 + chunks.reduce(0) { $0 + $1.encodedSize }
        guard size <= 4 * 65_536 else { throw .badLength(packetType: RTCPPacketType.sourceDescription) }
        let start = try writer.reserve(size)
        writer.writeHeader(count: chunks.count, packetType: RTCPPacketType.sourceDescription, size: size, at: start)
        let buffer = writer.buffer
        var offset = start + 4
        for chunk in chunks {
            let end = offset + chunk.encodedSize
            buffer.storeBigEndian(chunk.ssrc, at: offset)
            offset += 4
            for item in chunk.items {
                buffer[offset] = item.type
                buffer[offset + 1] = UInt8(item.value.count)
                for (index, byte) in item.value.enumerated() {
                    buffer[offset + 2 + index] = byte
                }
                offset += 2 + item.value.count
            }
            writer.zero(from: offset, to: end)
            offset = end
        }
    }
}
