import CFuzzSupport
import Foundation
@testable import WhatsAppCloud

/// libFuzzer entry point: one webhook request body, as Meta (or anyone who
/// reaches the webhook URL) would post it, through the event decoder; and the
/// same bytes as a cluster's `X-Wagate-Forward` header, through its check and,
/// past the MAC, its payload decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = Data(bytes: data, count: size)
    _ = try? WebhookDecoder.decode(body)
    let text = String(decoding: body, as: UTF8.self)
    _ = WebhookForward.verify(text, secret: "fuzz-cluster-secret", signature: "sha256=00")
    _ = WebhookForward.decode(text)
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzWebhook_main`): libFuzzer's driver.
@_cdecl("FuzzWebhook_main")
public func fuzzWebhookMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzWebhook($0!, $1) }
}
