// One log line when a call is set up and one when it ends, the lines an
// operator greps for (Asterisk's "Executing Dial" / "Spawn extension ...
// exited", FreeSWITCH's CHANNEL_HANGUP_COMPLETE). They ride on the CDR's
// write path: the end line is the stored CDR row itself, read back after the
// store wrote it, so the log and the CDR can never disagree and every column
// the CDR gains (codecs, per-leg quality, Meta's error) shows up in the line.

import CallControl
import Foundation
import Logging
import NetTypes
import Store

/// Call control's `CallRecords`, passed through to the CDR writer, plus the
/// per-call setup and end log lines.
struct CallSummaryLog: CallRecords {
    let records: StoreCallRecords
    let store: GatewayStore
    let logger: Logger

    func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async {
        await records.record(event, call: call, at: time, context: context)
        switch event {
        case .started(let start):
            logger.info("call setup", metadata: Self.setupFields(start, context: context))
        case .ended(let ending):
            guard let row = try? await store.call(id: call.rawValue) else {
                logger.info("call ended", metadata: Self.endFields(ending, context: context))
                return
            }
            var fields = Self.rowFields(row)
            fields.merge(Self.endFields(ending, context: context)) { _, new in new }
            // Transfers read as `transfers=N answered_by=NAME` (answered_by comes with the row).
            fields["transfer_count"] = nil
            fields["transfers"] = .stringConvertible(row.transferCount)
            logger.info("call ended", metadata: fields)
        default:
            break
        }
    }

    func callsInProgress() async -> [OrphanedCall] { await records.callsInProgress() }

    func metaCaptureRequested(_ kinds: [MetaArtifactKind], call: CallID) async {
        await records.metaCaptureRequested(kinds, call: call)
    }

    func attach(_ artifact: MetaArtifact, known: Bool) async -> MetaArtifactOutcome {
        await records.attach(artifact, known: known)
    }

    /// The ids, direction, parties and number of a call being set up.
    static func setupFields(_ start: CallStart, context: CallLogContext) -> Logger.Metadata {
        var fields = metadata(context)
        fields["direction"] = .string(start.direction.rawValue)
        fields["caller"] = .string(start.from)
        fields["callee"] = .string(start.to)
        if let number = start.number { fields["phone_number_id"] = .string(number.rawValue) }
        if let sipCallID = start.sipCallID, fields["sip_call_id"] == nil { fields["sip_call_id"] = .string(sipCallID) }
        if let wacid = start.wacid, fields["wacid"] == nil { fields["wacid"] = .string(wacid.rawValue) }
        return fields
    }

    /// Why the call ended, as call control decided it.
    static func endFields(_ ending: CallEnding, context: CallLogContext) -> Logger.Metadata {
        var fields = metadata(context)
        fields["cause"] = .string(ending.reason.rawValue)
        fields["ended_by"] = .string(ending.endedBy.rawValue)
        if let status = ending.sipStatus { fields["sip_status"] = .stringConvertible(status) }
        if let code = ending.whatsAppCode { fields["whatsapp_code"] = .stringConvertible(code) }
        if let detail = ending.detail { fields["detail"] = .string(detail) }
        return fields
    }

    private static func metadata(_ context: CallLogContext) -> Logger.Metadata {
        var fields = Logger.Metadata()
        for field in context.fields { fields[field.key] = .string(field.value) }
        return fields
    }
}
