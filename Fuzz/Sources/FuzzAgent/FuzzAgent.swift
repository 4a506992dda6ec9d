import CFuzzSupport
import Config
@testable import WebAgents

/// The upgrade checks of a listener without TLS and one allowed origin.
private let upgrade: AgentUpgradePolicy = {
    var webphone = WebPhoneConfig.defaults
    webphone.allowedOrigins = ["https://phone.example.com"]
    return AgentUpgradePolicy(webphone: webphone, listenerTLS: false)
}()

/// libFuzzer entry point: any bytes as one `wagate.agent.v1` text frame through
/// `AgentRequestDecoder` (login included: it is a message like the others). A
/// decoded request must respect its bounds and survive re-encoding; a refusal
/// echoes at most a bounded id and a bounded message. The same bytes, split at
/// newlines, also go through the upgrade's Origin/Host/subprotocol checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAgent(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    switch AgentRequestDecoder.decode(bytes) {
    case .success(let request):
        AgentRequestCheck.bounds(request)
        let again = AgentRequestDecoder.decode(Array(AgentRequestCheck.encoded(request).text.utf8))
        precondition(again == .success(request), "a decoded request does not survive re-encoding")
    case .failure(let error):
        precondition((error.re?.utf8.count ?? 0) <= 32, "refusal echoes an id over 32 bytes")
        precondition(error.message.utf8.count <= 256, "refusal message over 256 bytes")
    }
    let lines = String(decoding: bytes.prefix(1_024), as: UTF8.self).split(separator: "\n", maxSplits: 2).map(String.init)
    _ = upgrade.refusal(origin: lines.first, host: lines.dropFirst().first, protocols: Array(lines.dropFirst(2)))
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzAgent_main`): libFuzzer's driver.
@_cdecl("FuzzAgent_main")
public func fuzzAgentMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzAgent($0!, $1) }
}
