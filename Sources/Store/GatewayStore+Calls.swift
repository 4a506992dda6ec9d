public import Foundation
import NIOCore

/// Call detail records and calls in progress.
extension GatewayStore {
    /// Inserts or updates a call's row (called at setup and at every change). The
    /// Meta artifact columns are left alone: only ``markMetaCaptureRequested(callID:kinds:)``
    /// and ``attachMetaArtifact(wacid:kind:columns:)`` write them, so a call update
    /// racing a result webhook cannot erase it.
    public func saveCall(_ record: CallDetailRecord) async throws {
        try await counted(.callSave) { try await insertCall(record) }
    }

    private func insertCall(_ record: CallDetailRecord) async throws {
        let columns = Self.columns(record)
        let names = columns.map(\.name)
        let updates = names.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        _ = try await run("save call", """
            INSERT INTO calls (\(names.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))
            ON CONFLICT(call_id) DO UPDATE SET \(updates)
            """, columns.map(\.value))
    }

    /// Every column a call update writes, `call_id` first (the Meta artifact columns are not among them).
    private static func columns(_ record: CallDetailRecord) -> [(name: String, value: SQLValue)] {
        [
            ("call_id", .text(record.callID)), ("direction", .text(record.direction)),
            ("sip_call_id", text(record.sipCallID)), ("wacid", text(record.wacid)), ("caller", .text(record.caller)),
            ("callee", .text(record.callee)), ("sip_party", text(record.sipParty)),
            ("setup_at", .float(record.setupAt.timeIntervalSince1970)), ("ring_at", time(record.ringAt)),
            ("answer_at", time(record.answerAt)), ("end_at", time(record.endAt)),
            ("end_reason", text(record.endReason)), ("ended_by", text(record.endedBy)),
            ("sip_codec", text(record.sipCodec)), ("whatsapp_codec", text(record.whatsappCodec)),
            ("statistics", text(record.statistics)), ("wa_phone", text(record.waPhone)),
            ("wa_bsuid", text(record.waBSUID)), ("wa_parent_bsuid", text(record.waParentBSUID)),
            ("wa_username", text(record.waUsername)), ("wa_profile_name", text(record.waProfileName)),
            ("phone_number_id", text(record.phoneNumberID)), ("sip_from_user", text(record.sipFromUser)),
            ("sip_status", integer(record.sipStatus)), ("meta_error_code", integer(record.metaErrorCode)),
            ("fbtrace_id", text(record.fbtraceID)), ("permission_state", text(record.permissionState)),
            ("recording_path", text(record.recordingPath)), ("answered_by", text(record.answeredBy)),
            ("transfer_count", .integer(record.transferCount)), ("node_id", text(record.nodeID)),
        ] + quality(record.sipQuality, leg: "sip") + quality(record.whatsappQuality, leg: "wa")
    }

    private static func quality(_ quality: CallLegQuality, leg: String) -> [(name: String, value: SQLValue)] {
        [
            ("\(leg)_packets_sent", integer(quality.packetsSent)),
            ("\(leg)_packets_received", integer(quality.packetsReceived)),
            ("\(leg)_packets_lost", integer(quality.packetsLost)), ("\(leg)_jitter_ms", real(quality.jitterMs)),
            ("\(leg)_rtt_ms", real(quality.roundTripMs)), ("\(leg)_mos", real(quality.mos)),
        ]
    }

    /// Calls with no end: in progress now, or orphaned by a crash when read at start.
    /// With `node`, only that node's calls (a cluster's nodes share the table).
    public func callsInProgress(node: String? = nil) async throws -> [CallDetailRecord] {
        guard let node else {
            return try await run("calls in progress", "SELECT * FROM calls WHERE end_at IS NULL ORDER BY setup_at")
                .map(Self.record)
        }
        return try await run("calls in progress", "SELECT * FROM calls WHERE end_at IS NULL AND node_id = ? ORDER BY setup_at",
                             [.text(node)]).map(Self.record)
    }

    /// One call's row, if there is one.
    public func call(id: String) async throws -> CallDetailRecord? {
        try await run("one call", "SELECT * FROM calls WHERE call_id = ?", [.text(id)]).first.map(Self.record)
    }

    /// The most recent calls, newest first.
    public func recentCalls(limit: Int) async throws -> [CallDetailRecord] {
        try await run("recent calls", "SELECT * FROM calls ORDER BY setup_at DESC LIMIT ?", [.integer(limit)])
            .map(Self.record)
    }

    /// Deletes ended calls older than `date` (CDR retention).
    public func pruneCalls(endedBefore date: Date) async throws {
        _ = try await run("prune calls", "DELETE FROM calls WHERE end_at IS NOT NULL AND end_at < ?",
                          [.float(date.timeIntervalSince1970)])
        _ = try await run("prune transfers", "DELETE FROM call_transfers WHERE call_id NOT IN (SELECT call_id FROM calls)")
    }

    private static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    private static func time(_ value: Date?) -> SQLValue { value.map { .float($0.timeIntervalSince1970) } ?? .null }
    private static func integer(_ value: Int?) -> SQLValue { value.map { .integer($0) } ?? .null }
    private static func real(_ value: Double?) -> SQLValue { value.map { .float($0) } ?? .null }

    static func record(_ row: SQLRow) -> CallDetailRecord {
        func string(_ name: String) -> String? { row.column(name)?.string }
        func date(_ name: String) -> Date? { row.column(name)?.double.map(Date.init(timeIntervalSince1970:)) }
        var record = CallDetailRecord(
            callID: string("call_id") ?? "", direction: string("direction") ?? "", sipCallID: string("sip_call_id"),
            wacid: string("wacid"), caller: string("caller") ?? "", callee: string("callee") ?? "",
            sipParty: string("sip_party"), setupAt: date("setup_at") ?? Date(timeIntervalSince1970: 0))
        record.ringAt = date("ring_at")
        record.answerAt = date("answer_at")
        record.endAt = date("end_at")
        record.endReason = string("end_reason")
        record.endedBy = string("ended_by")
        record.sipCodec = string("sip_codec")
        record.whatsappCodec = string("whatsapp_codec")
        record.statistics = string("statistics")
        record.waPhone = string("wa_phone")
        record.waBSUID = string("wa_bsuid")
        record.waParentBSUID = string("wa_parent_bsuid")
        record.waUsername = string("wa_username")
        record.waProfileName = string("wa_profile_name")
        record.phoneNumberID = string("phone_number_id")
        record.sipFromUser = string("sip_from_user")
        record.sipStatus = row.column("sip_status")?.integer
        record.metaErrorCode = row.column("meta_error_code")?.integer
        record.fbtraceID = string("fbtrace_id")
        record.permissionState = string("permission_state")
        record.recordingPath = string("recording_path")
        record.answeredBy = string("answered_by")
        record.transferCount = row.column("transfer_count")?.integer ?? 0
        record.nodeID = string("node_id")
        record.sipQuality = quality(row, leg: "sip")
        record.whatsappQuality = quality(row, leg: "wa")
        for (kind, prefix) in [(\CallDetailRecord.metaRecording, "meta_recording"),
                               (\CallDetailRecord.metaTranscription, "meta_transcription")] {
            record[keyPath: kind] = MetaArtifactColumns(status: string("\(prefix)_status"),
                                                         mediaID: string("\(prefix)_media_id"),
                                                         url: string("\(prefix)_url"))
        }
        return record
    }

    private static func quality(_ row: SQLRow, leg: String) -> CallLegQuality {
        CallLegQuality(packetsSent: row.column("\(leg)_packets_sent")?.integer,
                       packetsReceived: row.column("\(leg)_packets_received")?.integer,
                       packetsLost: row.column("\(leg)_packets_lost")?.integer,
                       jitterMs: row.column("\(leg)_jitter_ms")?.double,
                       roundTripMs: row.column("\(leg)_rtt_ms")?.double, mos: row.column("\(leg)_mos")?.double)
    }
}
