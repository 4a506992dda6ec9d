import CFuzzSupport
@testable import DTLS
import RTP
import STUN

/// libFuzzer entry point: bytes as a WebRTC port sees them, through the RFC 7983
/// demultiplexer (the RTP and STUN modules' predicates must agree on STUN), and
/// through the DTLS record framer that cuts OpenSSL's output into datagrams,
/// at the MTU wagate uses and at a tiny one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDTLS(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let kind = PacketDemultiplexer.classify(raw)
    let bytes = Array(raw)
    if isSTUN(bytes) { precondition(kind == .stun, "STUN test accepted a datagram the demultiplexer did not") }
    for mtu in [1_200, 1] {
        let datagrams = DTLSRecordPacker.datagrams(from: bytes, mtu: mtu)
        precondition(datagrams.reduce(0) { $0 + $1.count } == size, "framing lost or invented bytes")
        precondition(Array(datagrams.joined()) == bytes, "framing reordered bytes")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzDTLS_main`): libFuzzer's driver.
@_cdecl("FuzzDTLS_main")
public func fuzzDTLSMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzDTLS($0!, $1) }
}
