@testable import RTP

/// Writes with an `RTCPWriter` into a fresh 1500-byte buffer and returns the bytes written.
func writeRTCP(_ body: (inout RTCPWriter) throws(RTPError) -> Void) throws -> [UInt8] {
    var storage = [UInt8](repeating: 0xee, count: 1500)
    let count = try storage.withUnsafeMutableBytes { buffer throws(RTPError) -> Int in
        var writer = RTCPWriter(buffer: buffer)
        try body(&writer)
        return writer.count
    }
    return Array(storage[..<count])
}

/// Parses bytes as a compound RTCP packet.
func parseRTCP(_ bytes: [UInt8], requireReportFirst: Bool = true) throws -> RTCPCompoundPacket {
    try bytes.withUnsafeBytes { buffer throws(RTPError) in
        try RTCPCompoundPacket.parse(buffer, requireReportFirst: requireReportFirst)
    }
}

/// Writes a compound packet and parses it back.
func roundTrip(_ packet: RTCPCompoundPacket) throws -> (bytes: [UInt8], parsed: RTCPCompoundPacket) {
    var storage = [UInt8](repeating: 0xee, count: 1500)
    let count = try storage.withUnsafeMutableBytes { buffer throws(RTPError) in try packet.write(to: buffer) }
    let bytes = Array(storage[..<count])
    return (bytes, try parseRTCP(bytes, requireReportFirst: false))
}

/// A report block with every field set to something distinct.
let sampleBlock = RTCPReportBlock(
    ssrc: 0x9abc_def0, fractionLost: 0x40, cumulativeLost: 5, extendedHighestSequence: 0x0001_0010,
    jitter: 0x20, lastSenderReport: 0xb705_2000, delaySinceLastSenderReport: 0x0005_4000
)

/// Sender information with every field set to something distinct.
let sampleSenderInfo = RTCPSenderInfo(
    ntpTimestamp: NTPTimestamp(seconds: 0xb44d_b705, fraction: 0x2000_0000),
    rtpTimestamp: 16_000, packetCount: 100, octetCount: 16_000
)
