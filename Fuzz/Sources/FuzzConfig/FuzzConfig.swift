import CFuzzSupport
@testable import Config

/// libFuzzer entry point: one sip.conf through the INI parser and the
/// validator, with `${VAR}` expansion from a small environment.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ConfigLoader.parse(text: text, file: "fuzz.conf", environment: ["SECRET": "s3cret", "HOST": "127.0.0.1"],
                                baseDirectory: "/nonexistent-wagate-fuzz")
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzConfig_main`): libFuzzer's driver.
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzConfig($0!, $1) }
}
