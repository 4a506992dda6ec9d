import CFuzzSupport
@testable import SDP

/// The browser leg's parameters, as `BridgeMediaControl` fills them for a fork.
private let browserLocal = WebRTCLocalParameters(
    iceUfrag: "bRwS4uFrAg7xQ2mZ", icePwd: "p4sSw0rdF0rBr0wserT+/abcd",
    fingerprint: Fingerprint(bytes: (0..<32).map { UInt8($0 * 5 + 1) }),
    candidates: WebRTCLocalParameters.gatewayCandidates(
        hostAddresses: ["10.20.0.5"], port: 32_000, externalAddress: "198.51.100.20", externalKind: .host),
    ssrc: 2_882_400_002, cname: "wagate-b40w", sessionID: 5_150_000_002)

/// libFuzzer entry point: one SDP body as a browser sends it, both ways it arrives.
/// As a dialling agent's offer: the profile detection that routes it, the remote
/// parameters the leg starts from, and wagate's browser answer, which must keep one
/// `m=` line per offered one and re-parse. As an agent's answer to wagate's offer:
/// the remote parameters and the Opus fmtp carried to the next browser offer, which
/// must hold only digits for the copied limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBrowserSDP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let remote = try? SDPParser().parse(bytes) else { return 0 }
    _ = SDPMediaProfile.detect(remote)
    if let parameters = try? WebRTCRemoteParameters(remote) {
        precondition(remote.media.indices.contains(parameters.mediaIndex), "media index outside the offer")
        _ = parameters.audioPayload(allowed: [.opus])
        _ = parameters.weAreDTLSClient(ourSetup: .passive)
        _ = parameters.weAreDTLSClient(ourSetup: .actpass)
        var local = browserLocal
        local.opusFormatParameters = WebRTCSDP.browserOpusParameters(whatsApp: parameters.opusParameters)
        if let offer = try? WebRTCSDP.browserOffer(local: local) {
            precondition((try? SDPParser().parse(Array(offer.serialized().utf8))) != nil, "browser offer does not re-parse")
        }
    }
    if let answer = try? WebRTCSDP.browserAnswer(toOffer: remote, local: browserLocal) {
        precondition(answer.media.count == remote.media.count, "answer m= lines differ from the offer's")
        let text = answer.serialized()
        precondition((try? SDPParser().parse(Array(text.utf8))) != nil, "browser answer does not re-parse")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzBrowserSDP_main`): libFuzzer's driver.
@_cdecl("FuzzBrowserSDP_main")
public func fuzzBrowserSDPMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzBrowserSDP($0!, $1) }
}
