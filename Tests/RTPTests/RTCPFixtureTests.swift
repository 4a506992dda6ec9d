import Testing
@testable import RTP

/// A sender report pinned byte for byte, produced independently with Python:
/// `struct.pack('!BBH I II I I I', 0x81, 200, 12, 0x12345678, 0xb44db705,
/// 0x20000000, 16000, 100, 16000)` followed by `struct.pack('!6I', 0x9abcdef0,
/// 0x40 << 24 | 5, 0x00010010, 0x20, 0xb7052000, 0x00054000)`. The NTP time,
/// LSR and DLSR are those of RFC 3550 §6.4.1's round-trip example.
@Suite struct RTCPFixtureTests {
    static let senderReport: [UInt8] = [
        0x81, 0xc8, 0x00, 0x0c, 0x12, 0x34, 0x56, 0x78, 0xb4, 0x4d, 0xb7, 0x05, 0x20, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x3e, 0x80, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x3e, 0x80, 0x9a, 0xbc, 0xde, 0xf0,
        0x40, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0xb7, 0x05, 0x20, 0x00,
        0x00, 0x05, 0x40, 0x00,
    ]

    @Test func fixtureParsesToTheExpectedFields() throws {
        let parsed = try parseRTCP(Self.senderReport)
        let expected = RTCPSenderReport(ssrc: 0x1234_5678, senderInfo: sampleSenderInfo, reportBlocks: [sampleBlock])
        #expect(parsed.packets == [.senderReport(expected)])
        #expect(expected.senderInfo.ntpTimestamp.compact == 0xb705_2000)
    }

    @Test func writerReproducesTheFixture() throws {
        let bytes = try writeRTCP { writer throws(RTPError) in
            try writer.appendSenderReport(ssrc: 0x1234_5678, info: sampleSenderInfo, reportBlocks: CollectionOfOne(sampleBlock))
        }
        #expect(bytes == Self.senderReport)
    }

    @Test func headerFieldsOfTheFixture() throws {
        let header = try Self.senderReport.withUnsafeBytes { buffer throws(RTPError) in try RTCPHeader.parse(buffer) }
        #expect(header == RTCPHeader(count: 1, packetType: 200, length: 12))
        #expect(header.packetSize == 52)
    }

    @Test func fixtureIsRTCPOnAMuxedPort() {
        Self.senderReport.withUnsafeBytes { buffer in
            #expect(PacketDemultiplexer.isRTCP(buffer))
            #expect(PacketDemultiplexer.classify(buffer) == .rtcp)
        }
    }
}
