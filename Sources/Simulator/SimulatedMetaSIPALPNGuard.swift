import NIOCore

// Meta's SIP TLS servers end the handshake with a fatal no_application_protocol
// alert (120, RFC 7301 §3.2) when the ClientHello offers ALPN `sip`
// (reported in livekit/sip#685 as "remote error: tls: no application protocol").
// BoringSSL, under NIOSSL, only ignores an ALPN it does not know, so the
// simulator reads the ClientHello itself (RFC 8446 §4.1.2, RFC 7301 §3.1)
// before the TLS handler sees it and sends that alert.

/// Looks at the first TLS record; refuses a ClientHello that offers ALPN `sip`,
/// else steps aside and hands every byte on to the TLS handler.
final class SimulatedMetaSIPALPNGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Called when a ClientHello is refused.
    private let onRefused: @Sendable () -> Void
    private var buffered: ByteBuffer?
    private var decided = false

    /// Creates the guard.
    init(onRefused: @escaping @Sendable () -> Void) {
        self.onRefused = onRefused
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if decided {
            context.fireChannelRead(data)
            return
        }
        if buffered == nil { buffered = bytes } else { buffered!.writeBuffer(&bytes) }
        guard let all = buffered else { return }
        switch Self.offersSIP(Array(all.readableBytesView)) {
        case nil where all.readableBytes < 5 + 16_384:
            return
        case true?:
            decided = true
            onRefused()
            // A fatal alert (level 2) no_application_protocol (120), in a TLS 1.2 record.
            let alert: [UInt8] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x78]
            context.writeAndFlush(wrapInboundOut(context.channel.allocator.buffer(bytes: alert)), promise: nil)
            context.close(promise: nil)
        default:
            decided = true
            buffered = nil
            context.fireChannelRead(wrapInboundOut(all))
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
    }

    /// Whether the first record's ClientHello offers ALPN `sip`; nil when more
    /// bytes are needed. Anything that is not a readable ClientHello is false:
    /// the TLS handler then fails it on its own terms.
    static func offersSIP(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 5 else { return nil }
        guard bytes[0] == 0x16 else { return false }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        guard bytes.count >= 5 + length else { return nil }
        var reader = BoundedReader(bytes: bytes[5..<(5 + length)])
        guard reader.u8() == 1, reader.skip(3), reader.skip(2 + 32), reader.skipVector(lengthBytes: 1),
              reader.skipVector(lengthBytes: 2), reader.skipVector(lengthBytes: 1),
              let extensionsLength = reader.u16(), var extensions = reader.sub(extensionsLength) else { return false }
        while let type = extensions.u16(), let size = extensions.u16(), var body = extensions.sub(size) {
            guard type == 16 else { continue }
            guard let listLength = body.u16(), var list = body.sub(listLength) else { return false }
            while let nameLength = list.u8(), let name = list.take(Int(nameLength)) {
                if name.elementsEqual("sip".utf8) { return true }
            }
        }
        return false
    }

    /// Reads big-endian fields from a slice, never past its end.
    struct BoundedReader {
        var bytes: ArraySlice<UInt8>

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, bytes.count >= count else { return nil }
            let taken = bytes.prefix(count)
            bytes = bytes.dropFirst(count)
            return taken
        }

        mutating func skip(_ count: Int) -> Bool { take(count) != nil }
        mutating func u8() -> UInt8? { take(1)?.first }

        mutating func u16() -> Int? {
            guard let two = take(2) else { return nil }
            return Int(two[two.startIndex]) << 8 | Int(two[two.startIndex + 1])
        }

        mutating func sub(_ count: Int) -> BoundedReader? { take(count).map { BoundedReader(bytes: $0) } }

        mutating func skipVector(lengthBytes: Int) -> Bool {
            let length = lengthBytes == 1 ? u8().map(Int.init) : u16()
            guard let length else { return false }
            return skip(length)
        }
    }
}
