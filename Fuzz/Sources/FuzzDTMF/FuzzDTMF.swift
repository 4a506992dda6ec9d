import CFuzzSupport
@testable import SIP

/// The content types a SIP INFO may carry; the first input byte picks one.
private let contentTypes: [String?] = [
    "application/dtmf-relay", "application/dtmf", "Application/DTMF-Relay; charset=utf-8", "text/plain", nil,
]

/// libFuzzer entry point: one SIP INFO body through the DTMF relay parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDTMF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let type = contentTypes[Int(data[0]) % contentTypes.count]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if let (digit, duration) = DTMFRelay.parse(body: body, contentType: type) {
        precondition(DTMFRelay.digits.contains(digit), "digit outside 0-9*#A-D")
        precondition((40...5_000).contains(duration), "duration outside its clamp")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzDTMF_main`): libFuzzer's driver.
@_cdecl("FuzzDTMF_main")
public func fuzzDTMFMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzDTMF($0!, $1) }
}
