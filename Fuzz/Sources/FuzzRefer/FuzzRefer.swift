import CFuzzSupport
import CSofiaSIP
@testable import SIP

/// The REFER that carries each input as its Refer-To and Referred-By values.
private func referMessage(referTo: String, referredBy: String) -> [UInt8] {
    Array(("REFER sip:wagate@198.51.100.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-fuzz\r\n"
        + "From: <sip:alice@198.51.100.1>;tag=a1\r\nTo: <sip:wagate@198.51.100.1>;tag=w1\r\n"
        + "Call-ID: fuzz-refer@192.0.2.10\r\nCSeq: 2 REFER\r\nMax-Forwards: 70\r\n"
        + "Refer-To: \(referTo)\r\nReferred-By: \(referredBy)\r\nContent-Length: 0\r\n\r\n").utf8)
}

/// Checks what a parsed Refer-To promises: a bounded sip/sips URI, a non-empty
/// user when there is one, and a Replaces that survives its own rendering.
private func check(_ request: ReferRequest) {
    precondition(request.referTo.utf8.count <= ReferRequest.maximumHeaderLength, "Refer-To URI over its bound")
    let scheme = request.referTo.prefix { $0 != ":" }.lowercased()
    precondition(scheme == "sip" || scheme == "sips", "accepted a scheme other than sip/sips")
    precondition(request.targetUser.map { !$0.isEmpty } ?? true, "empty target user")
    if let replaces = request.replaces { checkReplaces(replaces) }
}

/// A parsed Replaces renders to a value that parses back to itself, within the bound.
private func checkReplaces(_ replaces: ReplacesHeader) {
    let text = replaces.description
    precondition(text.utf8.count <= ReplacesHeader.maximumLength + 32, "Replaces rendering over its bound")
    precondition(ReplacesHeader(text) == replaces, "Replaces does not survive its own rendering")
    precondition(!replaces.header.contains("\r") && !replaces.header.contains("\n"), "CR/LF in a Replaces header")
}

/// libFuzzer entry point: the first byte picks the path; the rest is a header
/// value. Even: the value as sofia hands a REFER's Refer-To (and Referred-By) over
/// after parsing the whole request, through `ReferRequest.parse` as the stack's
/// REFER handler does. Odd: the raw value straight into `ReferRequest.parse` and
/// `ReplacesHeader` (the Replaces an attended transfer copies).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRefer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let value = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] & 1 == 1 {
        if case .success(let request) = ReferRequest.parse(referTo: value) { check(request) }
        if let replaces = ReplacesHeader(value) { checkReplaces(replaces) }
        return 0
    }
    let bytes = referMessage(referTo: value, referredBy: value)
    var message: OpaquePointer?
    guard let sip = bytes.withUnsafeBufferPointer({ fuzz_sofia_parse($0.baseAddress, $0.count, &message) }) else { return 0 }
    defer { msg_destroy(message) }
    guard let referTo = sip.pointee.sip_refer_to else { return 0 }
    if case .success(let request) = ReferRequest.parse(referTo: SofiaMessageReader.header(referTo)) { check(request) }
    _ = SofiaMessageReader.header(sip.pointee.sip_referred_by)
    return 0
}

/// The executable's entry (SwiftPM links `main` to `FuzzRefer_main`): libFuzzer's driver.
@_cdecl("FuzzRefer_main")
public func fuzzReferMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzz_run_driver(argc, argv) { fuzzRefer($0!, $1) }
}
