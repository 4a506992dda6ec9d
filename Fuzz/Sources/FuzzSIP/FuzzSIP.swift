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
/// (as if the REGISTER had authenticated), DTMF INFO bodies, and a 401/407's
/// Digest challenges, answered as the stack's digest plugin would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var message: OpaquePointer?
    guard let sip = fuzz_sofia_parse(data, size, &message) else { return 0 }
    defer { msg_destroy(message) }
    guard sip.pointee.sip_request != nil else {
        answerChallenge(sip)
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

/// The strongest challenge of a response, answered: the header written is
/// one line, and the response is a whole hash.
private func answerChallenge(_ sip: UnsafePointer<sip_t>) {
    guard case .success(let challenge) = SofiaRuntime.strongestChallenge(sip) else { return }
    let answer = DigestAnswer(challenge: challenge, method: "INVITE", uri: "sip:+447700900123@wa.meta.vc;transport=tls",
                              username: "15550001111", clientNonce: "0123456789abcdef", nonceCount: 1)
    guard let header = answer.header(password: "fuzz") else { return }
    precondition(!header.utf8.contains { $0 == 13 || $0 == 10 }, "CR/LF in a credentials header")
    precondition([32, 64].contains(answer.response(password: "fuzz").count), "response is not a whole hash")
}

/// The executable's entry (SwiftPM links `main` to `FuzzSIP_main`): libFuzzer's driver.
@_cdecl("FuzzSIP_main")
public func fuzzSIPMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzSIP($0!, $1) }
}
