// The Graph error → SIP table (docs/call-flows.md, "Graph API errors").

@testable import CallControl
import Testing
import TestSupport

struct GraphRow: Sendable, CustomTestStringConvertible {
    var code: Int
    var http: Int
    var status: Int
    var retryAfter: Int?
    var reason: CallEndReason
    var testDescription: String { "\(code)/HTTP \(http) → \(status)" }
}

@Suite("Graph error mapping")
struct FailureMappingTests {
    static let rows: [GraphRow] = [
        GraphRow(code: 100, http: 400, status: 488, reason: .whatsAppError),
        GraphRow(code: 131055, http: 400, status: 503, reason: .whatsAppError),
        GraphRow(code: 138000, http: 401, status: 503, reason: .whatsAppError),
        GraphRow(code: 138001, http: 400, status: 404, reason: .whatsAppError),
        GraphRow(code: 138002, http: 429, status: 503, retryAfter: 60, reason: .limit),
        GraphRow(code: 138003, http: 400, status: 486, reason: .busy),
        GraphRow(code: 138004, http: 500, status: 503, retryAfter: 60, reason: .whatsAppError),
        GraphRow(code: 138005, http: 429, status: 503, retryAfter: 60, reason: .limit),
        GraphRow(code: 138006, http: 401, status: 403, reason: .noPermission),
        GraphRow(code: 138007, http: 500, status: 504, reason: .whatsAppError),
        GraphRow(code: 138009, http: 400, status: 403, reason: .forbidden),
        GraphRow(code: 138012, http: 400, status: 403, reason: .forbidden),
        GraphRow(code: 138013, http: 400, status: 403, reason: .forbidden),
        GraphRow(code: 138014, http: 400, status: 503, reason: .whatsAppError),
        GraphRow(code: 138015, http: 400, status: 503, reason: .whatsAppError),
        GraphRow(code: 138018, http: 400, status: 503, reason: .whatsAppError),
        GraphRow(code: 190, http: 401, status: 503, reason: .whatsAppError),
        GraphRow(code: 4, http: 429, status: 503, retryAfter: 60, reason: .limit),
        GraphRow(code: 1, http: 502, status: 503, retryAfter: 60, reason: .whatsAppError),
        GraphRow(code: 2, http: 400, status: 500, reason: .whatsAppError),
    ]

    @Test("G1 every contract code maps to its SIP status", arguments: rows)
    func table(row: GraphRow) {
        let failure = WhatsAppFailure.graph(code: row.code, httpStatus: row.http, message: "m")
        let (response, reason) = FailureMapping.response(for: failure, defaultRetryAfter: 60)
        #expect(response.status == row.status)
        #expect(response.retryAfter == row.retryAfter)
        #expect(reason == row.reason)
        #expect(response.warning?.contains("\(row.code)") == true)
        #expect(response.reason?.cause == row.status)
    }

    @Test("G2 Retry-After from Meta wins over the default")
    func retryAfterFromMeta() {
        let failure = WhatsAppFailure.graph(code: 138005, httpStatus: 429, message: "m", retryAfter: .seconds(7))
        #expect(FailureMapping.response(for: failure, defaultRetryAfter: 60).0.retryAfter == 7)
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
}
