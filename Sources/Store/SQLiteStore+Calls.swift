public import Foundation
import NIOCore
import SQLiteNIO

/// Call detail records and calls in progress.
extension SQLiteStore {
    /// Inserts or updates a call's row (called at setup and at every change). The
    /// Meta artifact columns are left alone: only ``markMetaCaptureRequested(callID:kinds:)``
    /// and ``attachMetaArtifact(wacid:kind:columns:)`` write them, so a call update
    /// racing a result webhook cannot erase it.
    public func saveCall(_ record: CallDetailRecord) async throws {
        try await counted(.callSave) { try await insertCall(record) }
    }

    private func insertCall(_ record: CallDetailRecord) async throws {
        _ = try await run("save call", """
            INSERT INTO calls (call_id, direction, sip_call_id, wacid, caller, callee, sip_party, setup_at,
                ring_at, answer_at, end_at, end_reason, ended_by, sip_codec, whatsapp_codec, statistics,
                wa_phone, wa_bsuid, wa_parent_bsuid, wa_username, wa_profile_name, phone_number_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(call_id) DO UPDATE SET direction = excluded.direction, sip_call_id = excluded.sip_call_id,
                wacid = excluded.wacid, caller = excluded.caller, callee = excluded.callee,
                sip_party = excluded.sip_party, setup_at = excluded.setup_at, ring_at = excluded.ring_at,
                answer_at = excluded.answer_at, end_at = excluded.end_at, end_reason = excluded.end_reason,
                ended_by = excluded.ended_by, sip_codec = excluded.sip_codec, whatsapp_codec = excluded.whatsapp_codec,
                statistics = excluded.statistics, wa_phone = excluded.wa_phone, wa_bsuid = excluded.wa_bsuid,
                wa_parent_bsuid = excluded.wa_parent_bsuid, wa_username = excluded.wa_username,
                wa_profile_name = excluded.wa_profile_name, phone_number_id = excluded.phone_number_id
            """, [
                .text(record.callID), .text(record.direction), Self.text(record.sipCallID), Self.text(record.wacid),
                .text(record.caller), .text(record.callee), Self.text(record.sipParty),
                .float(record.setupAt.timeIntervalSince1970), Self.time(record.ringAt), Self.time(record.answerAt),
                Self.time(record.endAt), Self.text(record.endReason), Self.text(record.endedBy),
                Self.text(record.sipCodec), Self.text(record.whatsappCodec), Self.text(record.statistics),
                Self.text(record.waPhone), Self.text(record.waBSUID), Self.text(record.waParentBSUID),
                Self.text(record.waUsername), Self.text(record.waProfileName), Self.text(record.phoneNumberID),
            ])
    }

    /// Calls with no end: in progress now, or orphaned by a crash when read at start.
    public func callsInProgress() async throws -> [CallDetailRecord] {
        try await run("calls in progress", "SELECT * FROM calls WHERE end_at IS NULL ORDER BY setup_at").map(Self.record)
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
    }

    private static func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
    private static func time(_ value: Date?) -> SQLiteData { value.map { .float($0.timeIntervalSince1970) } ?? .null }

    private static func record(_ row: SQLiteRow) -> CallDetailRecord {
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
        for (kind, prefix) in [(\CallDetailRecord.metaRecording, "meta_recording"),
                               (\CallDetailRecord.metaTranscription, "meta_transcription")] {
            record[keyPath: kind] = MetaArtifactColumns(status: string("\(prefix)_status"),
                                                         mediaID: string("\(prefix)_media_id"),
                                                         url: string("\(prefix)_url"))
        }
        return record
    }
}
