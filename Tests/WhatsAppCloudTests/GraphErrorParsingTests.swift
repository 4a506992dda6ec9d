// Meta's error envelope read leniently: error_data, 138012's next allowed call
// time, Retry-After, and bodies shaped by an attacker or a broken proxy.

import Foundation
import Testing
@testable import WhatsAppCloud

@Suite("Graph error parsing")
struct GraphErrorParsingTests {
    static let now = Date(timeIntervalSince1970: 1_745_349_000)

    func parse(_ json: String, status: Int = 400, retryAfter: String? = nil) -> GraphError {
        GraphError.parse(status: status, body: Data(json.utf8), retryAfterHeader: retryAfter)
    }

    @Test func dailyLimitCarriesTheNextAllowedCallTimeFromDetails() throws {
        let error = GraphJSON.graphError(status: 400, body: try Fixtures.data("error_138012.json"))
        #expect(error.code == 138012 && error.fbtraceID == "Aq1")
        #expect(error.nextCallAllowed == Date(timeIntervalSince1970: 1_745_350_000))
        #expect(error.wait(at: Self.now) == .seconds(1000))
    }

    @Test(arguments: [
        ("Next call allowed at 2025-04-22T19:26:40Z", 1_745_350_000.0),
        ("next call allowed after 2025-04-22T21:26:40+02:00.", 1_745_350_000),
        ("allowed at 2025-04-22 19:26:40.500Z", 1_745_350_000.5),
        ("ids 12345678901234 and 1745350000", 1_745_350_000),
    ])
    func timestampForms(details: String, expected: Double) {
        let error = parse(#"{"error":{"code":138012,"error_data":{"details":"\#(details)"}}}"#)
        #expect(error.nextCallAllowed == Date(timeIntervalSince1970: expected))
    }

    @Test func limitExpirationTimeIsReadAsANumberOrAString() {
        let number = parse(#"{"error":{"code":138012,"error_data":{"limit_expiration_time":1745350000}}}"#)
        let text = parse(#"{"error":{"code":138012,"error_data":{"limit_expiration_time":"1745350000"}}}"#)
        #expect(number.nextCallAllowed == Date(timeIntervalSince1970: 1_745_350_000))
        #expect(text.nextCallAllowed == number.nextCallAllowed)
    }

    @Test(arguments: [
        #"{"error":{"code":138012,"error_data":{"details":"no time here"}}}"#,
        #"{"error":{"code":138012,"error_data":{"limit_expiration_time":-1745350000}}}"#,
        #"{"error":{"code":138012,"error_data":{"limit_expiration_time":1e308}}}"#,
        #"{"error":{"code":138012,"error_data":{"limit_expiration_time":99999999999999}}}"#,
        #"{"error":{"code":138012,"error_data":{"limit_expiration_time":{"at":1}}}}"#,
        #"{"error":{"code":138012,"error_data":{"details":9999999999}}}"#,
        #"{"error":{"code":138012,"error_data":[1,2,3]}}"#,
        #"{"error":{"code":138012,"error_data":{"details":"0000000001"}}}"#,
        #"{"error":{"code":138012}}"#,
    ])
    func implausibleOrMissingTimesAreIgnored(json: String) {
        let error = parse(json)
        #expect(error.code == 138012)
        #expect(error.nextCallAllowed == nil)
        #expect(error.wait(at: Self.now) == nil)
    }

    @Test func waitIsBoundedBetweenOneSecondAndADay() {
        var error = GraphError(code: 138012, httpStatus: 400, message: "")
        error.nextCallAllowed = Self.now.addingTimeInterval(-3600)
        #expect(error.wait(at: Self.now) == .seconds(1))
        error.nextCallAllowed = Self.now.addingTimeInterval(30 * 86_400)
        #expect(error.wait(at: Self.now) == .seconds(86_400))
        error.nextCallAllowed = Self.now.addingTimeInterval(0.2)
        #expect(error.wait(at: Self.now) == .seconds(1))
    }

    @Test func retryAfterHeaderWinsAndIsBounded() {
        let json = #"{"error":{"code":138005,"error_data":{"details":"at 1745350000"}}}"#
        #expect(parse(json, status: 429, retryAfter: " 7 ").wait(at: Self.now) == .seconds(7))
        #expect(parse(json, status: 429, retryAfter: "999999999").retryAfter == .seconds(86_400))
        #expect(parse(json, status: 429, retryAfter: "-5").retryAfter == nil)
        #expect(parse(json, status: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT").retryAfter == nil)
        #expect(parse(json, status: 429, retryAfter: String(repeating: "9", count: 40)).retryAfter == nil)
    }

    @Test(arguments: [
        (#"{"error":{"code":"131030","message":"(#131030) Recipient phone number not in allowed list"}}"#, 131030),
        (#"{"error":{"code":131030.0}}"#, 131030),
        (#"{"error":{"code":1e300}}"#, 0),
        (#"{"error":{"code":true}}"#, 0),
        (#"{"error":"oops"}"#, 0),
        (#"[]"#, 0),
        ("", 0),
    ])
    func codesOfAnyShape(json: String, code: Int) {
        #expect(parse(json).code == code)
    }

    @Test func everyStringIsBoundedAndFreeOfControlCharacters() {
        let huge = String(repeating: "x", count: 100_000)
        let json = #"{"error":{"code":100,"message":"\#(huge)","type":"\#(huge)","fbtrace_id":"\#(huge)","#
            + #""error_data":{"details":"line\r\nInjected: yes\#(huge)"}}}"#
        let error = parse(json)
        #expect(error.message.count == GraphError.textLimit)
        #expect(error.details?.count == GraphError.textLimit)
        #expect(error.details?.hasPrefix("lineInjected: yes") == true)
        #expect(error.type?.count == GraphError.identifierLimit)
        #expect(error.fbtraceID?.count == GraphError.identifierLimit)
        #expect(error.description.count < 1300)
    }

    @Test func aNonEnvelopeBodyIsKeptShortAndPrintable() {
        let error = parse("<html>\u{7}" + String(repeating: "y", count: 10_000), status: 502)
        #expect(error.code == 0 && error.httpStatus == 502)
        #expect(error.message.count <= 256 && !error.message.contains("\u{7}"))
    }

    @Test func detailsAndRateLimitCodesAreClassified() {
        #expect(parse(#"{"error":{"code":613}}"#, status: 429).classification == .rateLimited)
        let sdp = parse(#"{"error":{"code":100,"error_data":{"details":"No fingerprint found in SDP"}}}"#)
        #expect(sdp.details == "No fingerprint found in SDP")
    }
}
