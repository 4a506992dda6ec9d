import CFuzzSupport
import NetTypes
import RTP
import STUN
@testable import DTLS

/// One certificate and OpenSSL context for every input (made once: key generation is slow).
private let context = try! DTLSContext(certificate: DTLSCertificate(commonName: "wagate-fuzz"))

/// The fingerprint the endpoints expect of their peer (no input can match it).
private let peerFingerprint = try! DTLSCertificate(commonName: "peer").fingerprint

/// libFuzzer entry point: bytes as a WebRTC port sees them, through the RFC 7983
/// demultiplexer (the RTP and STUN modules' predicates must agree on STUN),
/// the DTLS record framer that cuts OpenSSL's output into datagrams (at the MTU
/// wagate uses and at a tiny one), and a fresh DTLS endpoint in each role that
/// receives the datagram mid-handshake, as a spoofed packet would arrive.
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
    guard kind == .dtls else { return 0 }
    for role in [DTLSRole.server, .client] {
        guard let endpoint = try? DTLSEndpoint(
            context: context, configuration: .init(role: role, remoteFingerprints: [peerFingerprint])) else { continue }
        _ = endpoint.start(now: .seconds(1))
        _ = endpoint.receive(bytes, now: .seconds(2))
        _ = endpoint.handleTimeout(now: .seconds(40))
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzDTLS_main`): libFuzzer's driver.
@_cdecl("FuzzDTLS_main")
public func fuzzDTLSMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzDTLS($0!, $1) }
}
