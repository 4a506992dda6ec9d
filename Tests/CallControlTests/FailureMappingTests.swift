// The Graph error → SIP table (docs/call-flows.md, "Cloud API errors on `connect`").

import TestSupport
import Testing
@testable import CallControl

struct GraphRow: Sendable, CustomTestStringConvertible {
    var code: Int
    var http: Int
    var status: Int
    var retryAfter: Int?
    var reason: CallEndReason
    /// Words the `Warning` must carry (what the operator should do).
    var warning: String
    var testDescription: String { "\(code)/HTTP \(http) → \(status)" }
}

@Suite("Graph error mapping")
struct FailureMappingTests {
    /// Every code of the table in docs/call-flows.md ("Cloud API errors on `connect`").
    static let rows: [GraphRow] = [
        GraphRow(code: 100, http: 400, status: 488, reason: .whatsAppError, warning: "SDP"),
        GraphRow(code: 190, http: 401, status: 503, reason: .whatsAppError, warning: "access_token"),
        GraphRow(code: 2, http: 503, status: 503, retryAfter: 60, reason: .whatsAppError, warning: "retry later"),
        GraphRow(code: 4, http: 429, status: 503, retryAfter: 60, reason: .limit, warning: "rate limit"),
        GraphRow(code: 10, http: 403, status: 503, reason: .whatsAppError, warning: "permission"),
        GraphRow(code: 368, http: 403, status: 503, reason: .whatsAppError, warning: "WhatsApp Manager"),
        GraphRow(code: 613, http: 429, status: 503, retryAfter: 60, reason: .limit, warning: "permission look-up"),
        GraphRow(code: 80007, http: 400, status: 503, retryAfter: 60, reason: .limit, warning: "rate limit"),
        GraphRow(code: 130429, http: 400, status: 503, retryAfter: 60, reason: .limit, warning: "rate limit"),
        GraphRow(code: 131000, http: 500, status: 503, retryAfter: 60, reason: .whatsAppError, warning: "retry later"),
        GraphRow(code: 131005, http: 403, status: 503, reason: .whatsAppError, warning: "whatsapp_business_messaging"),
        GraphRow(code: 131008, http: 400, status: 502, reason: .whatsAppError, warning: "missing"),
        GraphRow(code: 131009, http: 400, status: 403, reason: .forbidden, warning: "country"),
        GraphRow(code: 131016, http: 500, status: 503, retryAfter: 60, reason: .whatsAppError, warning: "retry later"),
        GraphRow(code: 131026, http: 400, status: 404, reason: .whatsAppError, warning: "not on WhatsApp"),
        GraphRow(code: 131030, http: 400, status: 403, reason: .forbidden, warning: "allowed list"),
        GraphRow(code: 131031, http: 403, status: 503, reason: .whatsAppError, warning: "locked"),
        GraphRow(code: 131042, http: 400, status: 503, reason: .whatsAppError, warning: "payment"),
        GraphRow(code: 131044, http: 400, status: 503, reason: .whatsAppError, warning: "payment"),
        GraphRow(code: 131055, http: 400, status: 503, reason: .whatsAppError, warning: "SIP mode"),
        GraphRow(code: 131056, http: 400, status: 503, retryAfter: 60, reason: .limit, warning: "retry later"),
        GraphRow(code: 138000, http: 401, status: 503, reason: .whatsAppError, warning: "enable"),
        GraphRow(code: 138001, http: 400, status: 404, reason: .whatsAppError, warning: "cannot receive calls"),
        GraphRow(code: 138002, http: 429, status: 503, retryAfter: 60, reason: .limit, warning: "concurrent"),
        GraphRow(code: 138003, http: 400, status: 486, reason: .busy, warning: "already"),
        GraphRow(code: 138004, http: 500, status: 503, retryAfter: 60, reason: .whatsAppError, warning: "retry later"),
        GraphRow(code: 138005, http: 429, status: 503, retryAfter: 60, reason: .limit, warning: "call rate"),
        GraphRow(code: 138006, http: 401, status: 403, reason: .noPermission, warning: "permission"),
        GraphRow(code: 138007, http: 500, status: 504, reason: .whatsAppError, warning: "SDP"),
        GraphRow(code: 138009, http: 400, status: 403, reason: .forbidden, warning: "permission request"),
        GraphRow(code: 138012, http: 400, status: 480, retryAfter: 60, reason: .limit, warning: "24 h"),
        GraphRow(code: 138013, http: 400, status: 403, reason: .forbidden, warning: "country"),
        GraphRow(code: 138014, http: 400, status: 503, reason: .whatsAppError, warning: "quality"),
        GraphRow(code: 138015, http: 400, status: 503, reason: .whatsAppError, warning: "messaging limit"),
        GraphRow(code: 138017, http: 400, status: 502, reason: .whatsAppError, warning: "permanent permission"),
        GraphRow(code: 138018, http: 400, status: 503, reason: .whatsAppError, warning: "calls"),
    ]

    /// Codes Meta does not list (or wagate does not know), by HTTP status class.
    static let fallbacks: [GraphRow] = [
        GraphRow(code: 138016, http: 400, status: 502, reason: .whatsAppError, warning: "not known"),
        GraphRow(code: 999_999, http: 404, status: 502, reason: .whatsAppError, warning: "not known"),
        GraphRow(code: 0, http: 418, status: 502, reason: .whatsAppError, warning: "not known"),
        GraphRow(code: 999_999, http: 429, status: 503, retryAfter: 60, reason: .limit, warning: "retry later"),
        GraphRow(code: 1, http: 502, status: 503, retryAfter: 60, reason: .whatsAppError, warning: "retry later"),
        GraphRow(code: 999_999, http: 401, status: 503, reason: .whatsAppError, warning: "access token"),
        GraphRow(code: 999_999, http: 403, status: 503, reason: .whatsAppError, warning: "access token"),
        GraphRow(code: -5, http: 200, status: 502, reason: .whatsAppError, warning: "not known"),
    ]

    @Test("G1 every Graph error code maps to its SIP status, Reason, Warning and Retry-After",
          arguments: rows + fallbacks)
    func table(row: GraphRow) {
        let failure = WhatsAppFailure.graph(code: row.code, httpStatus: row.http, message: "m")
        let (response, reason) = FailureMapping.response(for: failure, defaultRetryAfter: 60)
        #expect(response.status == row.status)
        #expect(response.retryAfter == row.retryAfter)
        #expect(reason == row.reason)
        #expect(response.warning?.hasPrefix("WhatsApp \(row.code): ") == true)
        #expect(response.warning?.localizedCaseInsensitiveContains(row.warning) == true, "\(response.warning ?? "")")
        #expect(response.reason?.cause == row.status)
        #expect(response.reason?.text.isEmpty == false)
        #expect((response.warning ?? "").unicodeScalars.count <= 120, "the SIP layer cuts Warning text at 120")
    }

    @Test("G1 no Meta error becomes a 500", arguments: [0, 1, 2, 100, 131000, 138004, 138016, 424_242])
    func neverFiveHundred(code: Int) {
        for http in [400, 401, 403, 404, 409, 429, 500, 502, 503] {
            let failure = WhatsAppFailure.graph(code: code, httpStatus: http, message: "m")
            #expect(FailureMapping.response(for: failure, defaultRetryAfter: 60).0.status != 500)
        }
    }

    @Test("G1 Meta's details follow the advice in the Warning")
    func detailsInWarning() {
        let failure = WhatsAppFailure.graph(code: 100, httpStatus: 400, message: "Invalid parameter",
                                            details: "No fingerprint found in SDP")
        let warning = FailureMapping.response(for: failure, defaultRetryAfter: 60).0.warning ?? ""
        #expect(warning.hasSuffix("No fingerprint found in SDP"))
    }

    @Test("G2 Retry-After from Meta wins over the default", arguments: [138002, 138005, 138012, 613, 131056])
    func retryAfterFromMeta(code: Int) {
        let failure = WhatsAppFailure.graph(code: code, httpStatus: 429, message: "m", retryAfter: .seconds(7))
        #expect(FailureMapping.response(for: failure, defaultRetryAfter: 60).0.retryAfter == 7)
    }

    @Test("G2 Meta's Retry-After is bounded to 1 s … 24 h",
          arguments: [(Duration.seconds(0), 1), (.seconds(-30), 1), (.seconds(90_000), 86_400), (.seconds(5), 5)])
    func retryAfterBounded(given: Duration, sent: Int) {
        let failure = WhatsAppFailure.graph(code: 138012, httpStatus: 400, message: "m", retryAfter: given)
        #expect(FailureMapping.response(for: failure, defaultRetryAfter: 60).0.retryAfter == sent)
    }

    @Test("G3 timeouts (either outcome), transport errors and bad responses → 503",
          arguments: [WhatsAppFailure.timeout(outcomeUnknown: true), .timeout(outcomeUnknown: false),
                      .transport("refused"), .unexpectedResponse("html")])
    func transport(failure: WhatsAppFailure) {
        #expect(FailureMapping.response(for: failure, defaultRetryAfter: 60).0.status == 503)
    }

    @Test("G4 connect failure in the machine: 138006 → 403 + cache invalidated (+ request when configured)")
    func noPermissionOnConnect() {
        var settings = CallSettings()
        settings.sendPermissionRequest = true
        var machine = outbound(settings)
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        let actions = machine.handle(.connectFailed(.graph(code: 138006, httpStatus: 401, message: "no permission")))
        #expect(responses(actions) == [403])
        #expect(actions.contains(.invalidatePermission(user: user)))
        #expect(actions.contains(.sendPermissionRequest(user: user, text: settings.permissionRequestText)))
        #expect(!actions.contains { $0.endsWhatsAppLeg })
        #expect(machine.isFinished)
    }

    @Test("G5 connect timeout with unknown outcome → 503 and remembered; nothing terminated blindly")
    func connectTimeout() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        let actions = machine.handle(.connectFailed(.timeout(outcomeUnknown: true)))
        #expect(actions.first == .rememberUnknownConnect)
        #expect(responses(actions) == [503])
        #expect(actions.contains(.closeMedia))
    }

    @Test("G6 connect fails after a webhook already named the wacid → the call is terminated")
    func failureWithKnownWACID() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        _ = machine.handle(.webhook(.status(wacid: wacid, .ringing, opaque: "c-1")))
        let actions = machine.handle(.connectFailed(.timeout(outcomeUnknown: true)))
        #expect(actions.contains(.terminate(wacid)))
        #expect(responses(actions) == [503])
    }

    @Test("G7 cancelled while connecting, then connect times out → remembered, nothing else")
    func cancelThenTimeout() {
        var machine = outbound()
        _ = machine.handle(.permissionChecked(CallPermission(status: .permanent)))
        _ = machine.handle(.outboundMediaOpened(session))
        _ = machine.handle(.sip(inLeg, .cancelled))
        #expect(machine.handle(.connectFailed(.timeout(outcomeUnknown: true))) == [.rememberUnknownConnect])
        #expect(machine.isFinished)
    }

    @Test("G8 SIP failure statuses of inbound legs → end reasons")
    func sipFailureReasons() {
        #expect(FailureMapping.endReason(forSIPFailure: 486) == .busy)
        #expect(FailureMapping.endReason(forSIPFailure: 603) == .rejected)
        #expect(FailureMapping.endReason(forSIPFailure: 408) == .noAnswer)
        #expect(FailureMapping.endReason(forSIPFailure: 503) == .sipError)
    }

    @Test("Every SIP final failure status maps to the end reason of docs/operations.md")
    func everySIPFailureStatusHasASensibleReason() {
        let table: [(CallEndReason, [Int])] = [
            (.notFound, [404, 410, 484, 485, 604]),
            (.noAnswer, [408, 480, 487]),
            (.busy, [486, 600]),
            (.rejected, [401, 403, 407, 603]),
            (.mediaFailure, [488, 606]),
            (.sipError, [400, 405, 481, 482, 483, 500, 502, 503, 504, 699, 300, 0]),
        ]
        for (reason, statuses) in table {
            for status in statuses {
                #expect(FailureMapping.endReason(forSIPFailure: status) == reason, "status \(status)")
            }
        }
        #expect(CallEndReason.notFound.rawValue == "not_found")
    }
}
