import Foundation

/// CDRs as CSV (RFC 4180) for spreadsheets and billing imports: one header
/// row, then one row per call, every column of the record. A field with a
/// comma, quote, CR or LF is quoted with inner quotes doubled; a field that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// CR) gets a leading `'`, as OWASP's CSV-injection advice says, so a caller
/// name like `=HYPERLINK(...)` stays text.
public enum CallRecordExport {
    /// The CSV header and column order.
    public static let columns = [
        "call_id", "direction", "sip_call_id", "wacid", "caller", "callee", "sip_party", "sip_from_user",
        "phone_number_id", "setup_at", "ring_at", "answer_at", "end_at", "duration_s", "end_reason", "ended_by",
        "sip_status", "meta_error_code", "fbtrace_id", "permission_state", "sip_codec", "whatsapp_codec",
        "sip_packets_sent", "sip_packets_received", "sip_packets_lost", "sip_jitter_ms", "sip_rtt_ms", "sip_mos",
        "wa_packets_sent", "wa_packets_received", "wa_packets_lost", "wa_jitter_ms", "wa_rtt_ms", "wa_mos",
        "recording_path", "wa_phone", "wa_bsuid", "wa_parent_bsuid", "wa_username", "wa_profile_name",
        "meta_recording_status", "meta_recording_media_id", "meta_transcription_status",
        "meta_transcription_media_id", "transfer_count", "answered_by",
    ]

    /// The whole CSV text, CRLF line ends as RFC 4180 has them.
    public static func csv(_ records: [CallDetailRecord]) -> String {
        ([columns] + records.map(fields)).map { $0.map(escape).joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    /// One field made safe: formula-leading characters defused, then quoted when needed.
    public static func escape(_ field: String) -> String {
        var text = field
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A record's fields in ``columns`` order; empty for a missing value.
    static func fields(_ r: CallDetailRecord) -> [String] {
        func time(_ date: Date?) -> String { date.map { ISO8601DateFormatter().string(from: $0) } ?? "" }
        func text(_ value: CustomStringConvertible?) -> String { value.map { "\($0)" } ?? "" }
        func leg(_ q: CallLegQuality) -> [String] {
            [text(q.packetsSent), text(q.packetsReceived), text(q.packetsLost), text(q.jitterMs), text(q.roundTripMs),
             text(q.mos)]
        }
        return [r.callID, r.direction, text(r.sipCallID), text(r.wacid), r.caller, r.callee, text(r.sipParty),
                text(r.sipFromUser), text(r.phoneNumberID), time(r.setupAt), time(r.ringAt), time(r.answerAt),
                time(r.endAt), text(r.duration.map { String(format: "%.1f", $0) }), text(r.endReason),
                text(r.endedBy), text(r.sipStatus), text(r.metaErrorCode), text(r.fbtraceID), text(r.permissionState),
                text(r.sipCodec), text(r.whatsappCodec)]
            + leg(r.sipQuality) + leg(r.whatsappQuality)
            + [text(r.recordingPath), text(r.waPhone), text(r.waBSUID), text(r.waParentBSUID), text(r.waUsername),
               text(r.waProfileName), text(r.metaRecording.status), text(r.metaRecording.mediaID),
               text(r.metaTranscription.status), text(r.metaTranscription.mediaID), String(r.transferCount),
               text(r.answeredBy)]
    }
}
