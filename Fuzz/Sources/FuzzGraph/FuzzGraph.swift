import CFuzzSupport
import Foundation
import NetTypes
@testable import WhatsAppCloud

/// libFuzzer entry point: one Graph API response body (or identifier), as a
/// broken or hostile endpoint at `graph_url` could send it. The first byte picks
/// the reader: the error envelope (with a Retry-After header taken from the
/// body's tail), the calling settings, call permissions, subscribed apps, app
/// subscriptions, the connect and message answers, or the BSUID and username
/// checks that guard what reaches SIP headers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraph(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let body = Data(bytes: data + 1, count: size - 1)
    let decoder = GraphJSON.decoder
    switch data[0] % 8 {
    case 0:
        let header = String(decoding: body.suffix(12), as: UTF8.self)
        let error = GraphJSON.graphError(status: 400 + Int(data[0] / 8), body: body, retryAfterHeader: header)
        precondition(error.message.unicodeScalars.count <= GraphError.textLimit * 4, "message unbounded")
        if let wait = error.wait(at: Date(timeIntervalSince1970: 1_780_000_000)) {
            precondition(wait >= .zero && wait <= .seconds(86_400), "wait outside its bounds")
        }
    case 1: _ = try? decoder.decode(PhoneNumberSettings.self, from: body)
    case 2: _ = try? decoder.decode(CallPermissions.self, from: body)
    case 3: _ = try? decoder.decode(GraphList<SubscribedApp>.self, from: body)
    case 4: _ = try? decoder.decode(GraphList<AppSubscription>.self, from: body)
    case 5: _ = try? decoder.decode(ConnectResponse.self, from: body)
    case 6: _ = try? decoder.decode(MessageSendResponse.self, from: body)
    default:
        let text = String(decoding: body, as: UTF8.self)
        if let bsuid = BusinessScopedUserID(text, lenientCountry: true) {
            precondition(bsuid.description.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "BSUID not SIP-safe")
        }
        if let username = WhatsAppUsername(text) {
            precondition(username.description.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "username not SIP-safe")
        }
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzGraph_main`): libFuzzer's driver.
@_cdecl("FuzzGraph_main")
public func fuzzGraphMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzGraph($0!, $1) }
}
