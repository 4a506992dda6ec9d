import CFuzzSupport
import CSofiaSIP
import Config
import Logging
@testable import SIP

/// The sandbox configuration: users alice and bob, digest with both algorithms.
private let config = ConfigLoader.sandboxDefaults()

/// The access decision keeps nonce and lockout state across inputs, as the SIP
/// thread does across packets. libFuzzer calls the entry point from one thread.
nonisolated(unsafe) private var access = SIPAccessControl(
    config: config, logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))

/// Where every datagram claims to come from.
private let source = SIPSource(host: "192.0.2.10", port: 5_060, transport: "udp")

/// A fixed clock, so that a crashing input reproduces.
private let now = 1_765_000_000.0

/// libFuzzer entry point: one raw datagram through sofia's own parser (as nta
/// parses what arrives on a SIP socket), wagate's message reader, and the
/// handling that follows without a network: the access decision, the registrar
/// (as if the REGISTER had authenticated), DTMF INFO bodies, and the realm of
/// a 401/407 challenge.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var message: OpaquePointer?
    guard let sip = fuzz_sofia_parse(data, size, &message) else { return 0 }
    defer { msg_destroy(message) }
    guard sip.pointee.sip_request != nil else {
        _ = SofiaMessageReader.challengeRealm(sip)
        return 0
    }
    let request = SofiaMessageReader.request(sip, source: source)
    _ = access.check(request, trunksByAddress: request.method == "INVITE", now: now)
    switch request.method {
    case "REGISTER":
        let registrar = Registrar(limits: Registrar.Limits(minimum: 60, maximum: 3_600, defaultExpires: 600))
        _ = registrar.register(request, user: "alice", now: now)
    case "INFO":
        _ = DTMFRelay.parse(body: request.body, contentType: request.contentType)
    default:
        break
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzSIP_main`): libFuzzer's driver.
@_cdecl("FuzzSIP_main")
public func fuzzSIPMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzSIP($0!, $1) }
}
