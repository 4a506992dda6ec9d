import CFuzzSupport
@testable import SDP

/// wagate's SIP-side media inputs, as in the golden SDP tests.
private let sipLocal = SIPLocalMedia(
    address: "203.0.113.5", port: 40_000, sessionID: 4_242, sessionVersion: 1,
    sdesKeyAndSalt: Array(0x10..<0x2E))

/// wagate's WebRTC-side inputs, as in the golden SDP tests.
private let webRTCLocal = WebRTCLocalParameters(
    iceUfrag: "wGtE4uFrAg7xQ2mZ", icePwd: "p4sSw0rdF0r1ceTest+/abcd",
    fingerprint: Fingerprint(bytes: (0..<32).map { UInt8($0 * 7 + 3) }),
    candidates: WebRTCLocalParameters.gatewayCandidates(
        hostAddresses: ["10.20.0.5"], port: 31_000, externalAddress: "198.51.100.20", externalKind: .host),
    ssrc: 2_882_400_001, cname: "wagate-7f3a", sessionID: 5_150_000_001)

/// wagate's SDES WhatsApp-leg inputs (Meta's SIP interface with SDES keys).
private let sdesLocal = SDESLocalParameters(
    address: "198.51.100.20", port: 31_002, keyMaterial: Array(0x20..<0x4E), ssrc: 2_882_400_002, cname: "wagate-7f3b",
    sessionID: 5_150_000_002)

/// Our SDES offer, to complete with the input as Meta's answer.
private let sdesOffer = try! SDESSDP.offer(local: sdesLocal)

/// One negotiator per SDES policy, so each branch of the answer is reached.
private let negotiators = [SIPAudioConfiguration.SRTPPolicy.disabled, .optional, .required].map {
    SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: $0))
}

/// libFuzzer entry point: one SDP body as a SIP phone or WhatsApp would send it,
/// through the parser, serialisation, SIP offer/answer (as answerer and as
/// offerer completing an exchange), the WebRTC remote-description reader
/// and answerer, and the SDES answerer and answer reader of the WhatsApp leg.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let remote = try? SDPParser().parse(bytes) else { return 0 }
    _ = remote.serializedBytes()
    let negotiator = negotiators[size % negotiators.count]
    _ = negotiator.answer(to: remote, local: sipLocal)
    if let offer = try? negotiator.offer(local: sipLocal) {
        _ = negotiator.complete(offer: offer, answer: remote, local: sipLocal)
    }
    if let parameters = try? WebRTCRemoteParameters(remote) {
        _ = parameters.audioPayload(allowed: [.opus, .pcmu, .pcma])
        _ = parameters.weAreDTLSClient(ourSetup: .actpass)
    }
    _ = try? WebRTCSDP.answer(toOffer: remote, local: webRTCLocal)
    _ = try? WebRTCSDP.metaStyleAnswer(toOffer: remote, local: webRTCLocal)
    _ = try? SDESSDP.answer(toOffer: remote, local: sdesLocal)
    _ = try? SDESSDP.complete(offer: sdesOffer, answer: remote, local: sdesLocal)
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzSDP_main`): libFuzzer's driver.
@_cdecl("FuzzSDP_main")
public func fuzzSDPMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzSDP($0!, $1) }
}
