import Foundation
import Logging
import Store
import Testing

/// The CDR query layer: each filter selects what it says, filters combine,
/// paging is clamped, and the SQL agrees with `CallQuery.matches`.
@Suite struct CallQueryTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    private func fixture() -> [CallDetailRecord] {
        var answered = CallDetailRecord(callID: "a", direction: "outbound", caller: "trunk:pbx",
                                        callee: "+447700900123", setupAt: t0)
        answered.sipFromUser = "1001"
        answered.phoneNumberID = "N1"
        answered.answerAt = t0.addingTimeInterval(2)
        answered.endAt = t0.addingTimeInterval(30)
        var notFound = CallDetailRecord(callID: "b", direction: "inbound", caller: "+14085551234",
                                        callee: "user:bob", setupAt: t0.addingTimeInterval(60))
        notFound.phoneNumberID = "N2"
        notFound.endAt = t0.addingTimeInterval(61)
        notFound.endReason = "not_found"
        notFound.sipStatus = 404
        let live = CallDetailRecord(callID: "c", direction: "outbound", caller: "alice", callee: "+447700900123",
                                    setupAt: t0.addingTimeInterval(120))
        return [answered, notFound, live]
    }

    private func ids(_ query: CallQuery, on backend: StoreBackend) async throws -> [String] {
        let store = try await backend.open(logger: quiet)
        let records = fixture()
        for record in records { try await store.saveCall(record) }
        let found = try await store.calls(matching: query)
        try await store.close()
        let expected = records.filter(query.matches).sorted { $0.setupAt > $1.setupAt }
            .dropFirst(query.offset).prefix(query.limit).map(\.callID)
        #expect(found.map(\.callID) == expected, "SQL and matches(_:) agree")
        return found.map(\.callID)
    }

    @Test(arguments: StoreBackend.all) func eachFilterSelectsItsRows(backend: StoreBackend) async throws {
        func ids(_ query: CallQuery) async throws -> [String] { try await self.ids(query, on: backend) }
        #expect(try await ids(CallQuery()) == ["c", "b", "a"])
        #expect(try await ids(CallQuery(since: t0.addingTimeInterval(60))) == ["c", "b"])
        #expect(try await ids(CallQuery(until: t0.addingTimeInterval(60))) == ["a"])
        #expect(try await ids(CallQuery(phoneNumberID: "N2")) == ["b"])
        #expect(try await ids(CallQuery(caller: "1001")) == ["a"], "the user behind a trunk")
        #expect(try await ids(CallQuery(caller: "trunk:pbx")) == ["a"])
        #expect(try await ids(CallQuery(callee: "+447700900123")) == ["c", "a"])
        #expect(try await ids(CallQuery(failedOnly: true)) == ["b"], "ended and never answered")
        #expect(try await ids(CallQuery(direction: "outbound")) == ["c", "a"])
        #expect(try await ids(CallQuery(callee: "+447700900123", direction: "outbound", limit: 1)) == ["c"])
        #expect(try await ids(CallQuery(limit: 2, offset: 1)) == ["b", "a"])
    }

    @Test func pagingIsClamped() {
        let huge = CallQuery(limit: 1_000_000, offset: -5)
        #expect(huge.limit == CallQuery.maximumLimit && huge.offset == 0)
        #expect(CallQuery(limit: 0).limit == 1)
        #expect(CallQuery().limit == CallQuery.defaultLimit)
    }

    @Test(arguments: StoreBackend.all) func everyNewColumnRoundTrips(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        var call = fixture()[1]
        call.metaErrorCode = 138006
        call.fbtraceID = "AbCdEf"
        call.permissionState = "granted"
        call.recordingPath = "/var/lib/wagate/rec/b.wav"
        call.sipQuality = CallLegQuality(packetsSent: 50, packetsReceived: 49, packetsLost: 1, jitterMs: 1.5,
                                         roundTripMs: 20, mos: 4.3)
        call.whatsappQuality = CallLegQuality(packetsSent: 51, packetsReceived: 50, packetsLost: 0, jitterMs: 0.5,
                                              roundTripMs: 40, mos: 4.4)
        try await store.saveCall(call)
        #expect(try await store.call(id: "b") == call)
        #expect(call.sipQuality.lossRatio == 0.02)
        try await store.close()
    }
}

/// CSV export: RFC 4180 quoting and spreadsheet-formula defusing.
@Suite struct CallRecordExportTests {
    @Test func fieldsAreQuotedAndFormulasDefused() {
        #expect(CallRecordExport.escape("alice") == "alice")
        #expect(CallRecordExport.escape("a,b") == "\"a,b\"")
        #expect(CallRecordExport.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CallRecordExport.escape("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CallRecordExport.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CallRecordExport.escape("+447700900123") == "'+447700900123")
        #expect(CallRecordExport.escape("-1") == "'-1")
        #expect(CallRecordExport.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CallRecordExport.escape("") == "")
    }

    @Test func oneHeaderAndOneRowPerCallWithEveryColumn() {
        var call = CallDetailRecord(callID: "c1", direction: "outbound", caller: "trunk:pbx", callee: "+4477",
                                    setupAt: Date(timeIntervalSince1970: 0))
        call.sipQuality.mos = 4.3
        let lines = CallRecordExport.csv([call, call]).components(separatedBy: "\r\n")
        #expect(lines.count == 4 && lines[3].isEmpty, "header, two rows, final CRLF")
        #expect(lines[0] == CallRecordExport.columns.joined(separator: ","))
        let fields = lines[1].components(separatedBy: ",")
        #expect(fields.count == CallRecordExport.columns.count)
        #expect(fields[CallRecordExport.columns.firstIndex(of: "sip_mos")!] == "4.3")
        #expect(fields[CallRecordExport.columns.firstIndex(of: "callee")!] == "'+4477")
        #expect(fields[CallRecordExport.columns.firstIndex(of: "setup_at")!] == "1970-01-01T00:00:00Z")
    }
}
