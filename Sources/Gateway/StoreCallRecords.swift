import CallControl
import Foundation
import Logging
import Store

/// Call control's `CallRecords` over the store: one CDR row per call, written at
/// setup and at every change, so a call in progress always has a row without
/// an end (what crash recovery finds on the next start). Steps of one call arrive
/// in order (call control's signalling lane awaits each).
///
/// The latest row of each call not yet stored ended is also kept here, and a write
/// that fails (PostgreSQL restarting, a full disk) is retried every second until it
/// lands: the store may be away for a while, a CDR is not lost. In a cluster each
/// row carries this node's name, the wacid is claimed for this node, and the
/// call's slots are given back when it ends.
actor StoreCallRecords: CallRecords {
    let store: GatewayStore
    let logger: Logger
    /// This node's name in a cluster; nil on a single node.
    let nodeID: String?
    /// Meta results for calls whose row does not carry the wacid yet (MetaArtifact.swift).
    var pendingArtifacts = PendingMetaArtifacts()
    /// The latest row of every call in progress, and of ended calls whose last write failed.
    var live: [CallID: CallDetailRecord] = [:]
    /// Calls whose latest row, wacid claim or slot release is still to be written.
    var unsaved: Set<CallID> = []
    var unclaimed: [CallID: String] = [:]
    var unreleased: Set<CallID> = []
    private var retrying: Task<Void, Never>?
    /// Rows kept at most; past it the oldest ended rows still unsaved are dropped (logged).
    static let liveCapacity = 100_000

    init(store: GatewayStore, nodeID: String? = nil, logger: Logger) {
        self.store = store
        self.nodeID = nodeID
        self.logger = logger
    }

    /// The call's latest row: the one kept here (this actor is the only writer of
    /// its calls' rows), else the store's (a call of another run or node: crash
    /// recovery, a takeover).
    func current(_ call: CallID) async -> CallDetailRecord? {
        if let kept = live[call] { return kept }
        return try? await store.call(id: call.rawValue)
    }

    /// Drops the rows kept here, so the next step of each call reads the store's
    /// row: after this node was taken over, a survivor has closed them.
    func forgetKept() {
        live.removeAll()
        unsaved.removeAll()
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
            record.nodeID = nodeID
        } else if let stored = await current(call) {
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
            // The first end stays: a node that learns it was taken over ends its
            // calls again, and the survivor's `node_failed` is what happened.
            guard record.endAt == nil else { return }
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
        if nodeID != nil, let wacid = record.wacid, live[call]?.wacid != wacid {
            unclaimed[call] = wacid
        }
        if nodeID != nil, case .ended = event { unreleased.insert(call) }
        await save(record)
        if let wacid = record.wacid { await applyPending(wacid: WACID(wacid)) }
    }

    /// Writes `record` (and any claim or release of its call), keeping it for a retry when that fails.
    func save(_ record: CallDetailRecord) async {
        let call = CallID(record.callID)
        live[call] = record
        do {
            try await store.saveCall(record)
            unsaved.remove(call)
            try await writeCluster(call)
            if record.endAt != nil { live[call] = nil }
        } catch {
            // The store counts the failure and logs it, rate-limited (a full disk
            // would otherwise write a line per call update).
            logger.debug("could not save the call record", metadata: ["call_id": "\(call)", "error": "\(error)"])
            unsaved.insert(call)
            bound()
            retryLater()
        }
    }

    /// The wacid claim and slot release of `call`, if owed.
    private func writeCluster(_ call: CallID) async throws {
        guard let nodeID else { return }
        if let wacid = unclaimed[call] {
            _ = try await store.claimCall(wacid: wacid, nodeID: nodeID, now: Date())
            unclaimed[call] = nil
        }
        if unreleased.contains(call) {
            try await store.releaseSlots(callID: call.rawValue)
            unreleased.remove(call)
        }
    }

    /// Retries every unsaved call each second until all are written.
    private func retryLater() {
        guard retrying == nil else { return }
        retrying = Task { [weak self] in
            while let self, await self.retryOnce() {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One pass over the unsaved calls; true while some remain.
    private func retryOnce() async -> Bool {
        for call in unsaved.union(unclaimed.keys).union(unreleased).sorted(by: { $0.rawValue < $1.rawValue }) {
            do {
                if unsaved.contains(call), let record = live[call] {
                    try await store.saveCall(record)
                    unsaved.remove(call)
                }
                try await writeCluster(call)
                if live[call]?.endAt != nil, !unsaved.contains(call) { live[call] = nil }
            } catch {
                return true
            }
        }
        logger.info("call records written after the store came back")
        retrying = nil
        return false
    }

    /// Drops the oldest ended, unsaved rows past ``liveCapacity`` (only a store away for very long gets there).
    private func bound() {
        guard live.count > Self.liveCapacity else { return }
        let ended = live.values.filter { $0.endAt != nil }.sorted { $0.setupAt < $1.setupAt }
        for record in ended.prefix(live.count - Self.liveCapacity) {
            live[CallID(record.callID)] = nil
            unsaved.remove(CallID(record.callID))
        }
        logger.error("call records dropped: the store has been unreachable too long",
                     metadata: ["kept": "\(live.count)"])
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
        let rows = (try? await store.callsInProgress(node: nodeID)) ?? []
        return Self.orphans(rows)
    }

    /// The rows as call control's orphans.
    static func orphans(_ rows: [CallDetailRecord]) -> [OrphanedCall] {
        return rows.map { row in
            OrphanedCall(callID: CallID(row.callID), direction: BridgeDirection(rawValue: row.direction) ?? .outbound,
                         wacid: row.wacid.map(WACID.init), sipCallID: row.sipCallID,
                         number: row.phoneNumberID.map(WhatsAppNumberID.init))
        }
    }
}
