import CallControl
import Foundation
import Logging
import Store

/// Call control's `CallRecords` over SQLite: one CDR row per call, written at
/// setup and at every change, so a call in progress always has a row without
/// an end (what crash recovery finds on the next start). The store owns the
/// rows: each step reads the call's row and writes it back, so there is no
/// second copy to drift from it. Steps of one call arrive in order (call
/// control's signalling lane awaits each).
actor StoreCallRecords: CallRecords {
    let store: GatewayStore
    let logger: Logger
    /// Meta results for calls whose row does not carry the wacid yet (MetaArtifact.swift).
    var pendingArtifacts = PendingMetaArtifacts()

    init(store: GatewayStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async {
        var record: CallDetailRecord
        if case .started(let start) = event {
            record = CallDetailRecord(callID: call.rawValue, direction: start.direction.rawValue,
                                      sipCallID: start.sipCallID, wacid: start.wacid?.rawValue, caller: start.from,
                                      callee: start.to, setupAt: time)
            record.waPhone = start.user?.phone
            record.waBSUID = start.user?.bsuid
            record.waParentBSUID = start.user?.parentBSUID
            record.waUsername = start.user?.username
            record.waProfileName = start.user?.profileName
            record.phoneNumberID = start.number?.rawValue
            record.sipParty = start.direction == .inbound || start.direction == .callback ? start.to : start.from
            record.sipFromUser = start.sipFromUser
        } else if let stored = try? await store.call(id: call.rawValue) {
            record = stored
        } else {
            return
        }
        switch event {
        case .started:
            break
        case .linkedWhatsApp(let wacid): record.wacid = wacid.rawValue
        case .linkedSIP(let sipCallID): record.sipCallID = sipCallID
        case .answeredBy(let origin): record.answeredBy = origin.description
        case .permission(let state): record.permissionState = state
        case .ringing: record.ringAt = record.ringAt ?? time
        case .answered: record.answerAt = record.answerAt ?? time
        case .ended(let ending):
            record.endAt = time
            record.endReason = ending.reason.rawValue
            record.endedBy = ending.endedBy.rawValue
            record.sipStatus = ending.sipStatus
            record.metaErrorCode = ending.whatsAppCode
            record.fbtraceID = ending.fbtraceID
        case .transferred(let transfer):
            record.transferCount = max(record.transferCount, transfer.seq)
            if let answeredBy = transfer.answeredBy { record.answeredBy = answeredBy }
            await saveTransfer(transfer, call: call, at: time)
        }
        do {
            try await store.saveCall(record)
            if let wacid = record.wacid { await applyPending(wacid: WACID(wacid)) }
        } catch {
            // The store counts the failure and logs it, rate-limited (a full disk
            // would otherwise write a line per call update).
            logger.debug("could not save the call record", metadata: ["call_id": "\(call)", "error": "\(error)"])
        }
    }

    /// Writes a transfer's row (`call_transfers`); the first write of a `seq` sets its start time.
    private func saveTransfer(_ transfer: TransferRecord, call: CallID, at time: Date) async {
        let row = CallTransferRow(callID: call.rawValue, seq: transfer.seq, kind: transfer.kind.rawValue,
                                  byUser: transfer.by, target: transfer.target, startedAt: time,
                                  outcome: transfer.outcome.rawValue, answeredBy: transfer.answeredBy,
                                  sipStatus: transfer.status)
        do {
            try await store.saveTransfer(row)
        } catch {
            logger.debug("could not save the transfer", metadata: ["call_id": "\(call)", "error": "\(error)"])
        }
    }

    func callsInProgress() async -> [OrphanedCall] {
        let rows = (try? await store.callsInProgress()) ?? []
        return rows.map { row in
            OrphanedCall(callID: CallID(row.callID), direction: BridgeDirection(rawValue: row.direction) ?? .outbound,
                         wacid: row.wacid.map(WACID.init), sipCallID: row.sipCallID,
                         number: row.phoneNumberID.map(WhatsAppNumberID.init))
        }
    }
}
