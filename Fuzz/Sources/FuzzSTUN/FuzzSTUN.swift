import CFuzzSupport
@testable import ICE
@testable import STUN

/// The short-term key of the RFC 5769 §2.1 test vectors, so seeds taken from
/// them reach the integrity check's success path.
private let vectorKey = STUNIntegrityKey(shortTermPassword: "VOkJxbRl1RmTxUk/WvJxBt")

/// Our ICE-lite credentials; the ufrag matches the RFC 5769 request's USERNAME.
private let credentials = try! ICECredentials(ufrag: "evtj", pwd: "VOkJxbRl1RmTxUk/WvJxBt")

/// The peer the datagrams claim to come from.
private let peer = TransportAddress("192.0.2.1", port: 32_853)!

/// libFuzzer entry point: one datagram on a WebRTC port, through the RFC 7983
/// STUN test, the packet and message parsers, integrity and fingerprint checks,
/// and the ICE-lite binding responder that answers WhatsApp's checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUN(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = isSTUN(bytes)
    if let packet = try? STUNPacket(parsing: bytes) {
        _ = packet.isAuthentic(key: vectorKey)
        _ = try? packet.verifyFingerprint()
        if let message = try? STUNMessage(packet) {
            _ = try? message.encode(integrityKey: vectorKey, fingerprint: true)
        }
    }
    var responder = ICELiteResponder(localCredentials: credentials)
    _ = responder.receive(bytes, from: peer, now: ICEInstant(nanoseconds: 1_000_000_000))
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzSTUN_main`): libFuzzer's driver.
@_cdecl("FuzzSTUN_main")
public func fuzzSTUNMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzSTUN($0!, $1) }
}
