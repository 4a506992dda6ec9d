import Testing
@testable import RTP

/// RFC 7983 §7 first-byte ranges and the RFC 5761 §4 RTP/RTCP split.
@Suite struct PacketDemultiplexerTests {
    static let table: [(bytes: [UInt8], expected: DemultiplexedProtocol)] = [
        ([0x00, 0x01], .stun),              // Binding request
        ([0x01, 0x01], .stun),              // Binding success response
        ([0x03, 0x00], .stun),
        ([0x04, 0x00], .unknown),
        ([0x10, 0x00], .zrtp),
        ([0x13, 0x00], .zrtp),
        ([0x14, 0xfe], .dtls),              // change_cipher_spec
        ([0x16, 0xfe], .dtls),              // handshake
        ([0x17, 0xfe], .dtls),              // application data
        ([0x3f, 0x00], .dtls),
        ([0x40, 0x00], .turnChannel),
        ([0x4f, 0x00], .turnChannel),
        ([0x50, 0x00], .unknown),
        ([0x7f, 0x00], .unknown),
        ([0x80, 111], .rtp),                // Opus, marker clear
        ([0x80, 0x80 | 111], .rtp),         // Opus, marker set
        ([0x80, 0], .rtp),                  // PCMU
        ([0x80, 126], .rtp),                // telephone-event
        ([0x80, 63], .rtp),
        ([0x80, 96], .rtp),
        ([0x80, 200], .rtcp),               // SR
        ([0x81, 201], .rtcp),               // RR
        ([0x81, 202], .rtcp),               // SDES
        ([0x81, 203], .rtcp),               // BYE
        ([0x81, 205], .rtcp),               // RTPFB
        ([0x80, 192], .rtcp),               // 192 = PT 64 with marker
        ([0x80, 223], .rtcp),               // 223 = PT 95 with marker
        ([0x80, 64], .rtcp),                // PT 64-95 without marker: reserved for RTCP under mux
        ([0x80, 224], .rtp),                // PT 96 with marker
        ([0xbf, 200], .rtcp),
        ([0xc0, 200], .unknown),
        ([0xff, 0x00], .unknown),
        ([0x80], .unknown),                 // too short to split RTP from RTCP
        ([], .unknown),
    ]

    @Test(arguments: table)
    func classify(_ row: (bytes: [UInt8], expected: DemultiplexedProtocol)) {
        row.bytes.withUnsafeBytes { buffer in
            #expect(PacketDemultiplexer.classify(buffer) == row.expected)
            #expect(PacketDemultiplexer.isRTCP(buffer) == (row.expected == .rtcp))
            #expect(PacketDemultiplexer.isRTP(buffer) == (row.expected == .rtp))
        }
    }

    @Test func firstBytePredicatesCoverTheirRangesExactly() {
        for byte in UInt8.min...UInt8.max {
            #expect(PacketDemultiplexer.isSTUN(firstByte: byte) == (byte <= 3))
            #expect(PacketDemultiplexer.isZRTP(firstByte: byte) == (16...19).contains(byte))
            #expect(PacketDemultiplexer.isDTLS(firstByte: byte) == (20...63).contains(byte))
            #expect(PacketDemultiplexer.isTURNChannel(firstByte: byte) == (64...79).contains(byte))
            #expect(PacketDemultiplexer.isRTPOrRTCP(firstByte: byte) == (128...191).contains(byte))
        }
    }
}
