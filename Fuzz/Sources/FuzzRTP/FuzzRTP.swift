import CFuzzSupport
@testable import RTP

/// libFuzzer entry point: one datagram on an RTP port, through the RFC 7983 /
/// RFC 5761 demultiplexer, the RTP header parser with receive statistics, and
/// the compound RTCP parser (strict and lenient), re-serialising what parsed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = PacketDemultiplexer.classify(bytes)
    _ = PacketDemultiplexer.isRTP(bytes)
    _ = PacketDemultiplexer.isRTCP(bytes)
    if let (header, payload) = RTPHeader.parse(bytes) {
        precondition(payload.lowerBound >= 0 && payload.upperBound <= size, "payload outside the datagram")
        var statistics = RTPReceiveStatistics(ssrc: header.ssrc)
        for step in 0..<3 {
            _ = statistics.record(sequenceNumber: header.sequenceNumber &+ UInt16(step),
                                  timestamp: header.timestamp &+ UInt32(step * 160), arrival: UInt32(step * 160))
        }
        _ = statistics.jitter(clockRate: 8_000)
    }
    var iterator = RTCPCompoundIterator(bytes)
    while let next = try? iterator.next() {
        _ = try? RTCPPacket.parse(bytes, header: next.header, range: next.range)
    }
    for strict in [true, false] {
        guard let compound = try? RTCPCompoundPacket.parse(bytes, requireReportFirst: strict) else { continue }
        var out = [UInt8](repeating: 0, count: size + 64)
        _ = out.withUnsafeMutableBytes { try? compound.write(to: $0) }
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzRTP_main`): libFuzzer's driver.
@_cdecl("FuzzRTP_main")
public func fuzzRTPMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzRTP($0!, $1) }
}
