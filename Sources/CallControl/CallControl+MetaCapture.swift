// Meta-side recording and transcription: which calls ask Meta for them, and
// linking Meta's result webhooks to the CDRs.

import Config
import Foundation
import Logging
import NetTypes

extension CallControl {
    /// What call `id` asks Meta to capture: its number's `meta_*` keys, overridden
    /// key by key by the SIP user's when the call has exactly one user — the one
    /// placing an outbound call, or the one an inbound call rings (a ring group
    /// or trunk uses the number's keys, as no single user's choice applies).
    func metaCapture(for id: CallID) -> MetaCaptureConfig {
        guard let entry = calls[id] else { return MetaCaptureConfig() }
        let base = numberConfig(entry.number)?.metaCapture ?? router.config.whatsapp.metaCapture
        let userPrefix = Admission.ownerKey(.user(""))
        var capture = base
        if entry.owners.count == 1, let owner = entry.owners.first, owner.hasPrefix(userPrefix),
           let user = router.config.user(named: String(owner.dropFirst(userPrefix.count))) {
            capture = user.metaCapture.inheriting(from: base)
        }
        return capture.resolved
    }

    /// The artifact kinds `capture` enables, counted as requested and noted on the CDR.
    func noteCaptureRequested(_ capture: MetaCaptureConfig, for id: CallID, context: CallLogContext) {
        var kinds: [MetaArtifactKind] = []
        if capture.recording == true { kinds.append(.recording) }
        if capture.transcription == true { kinds.append(.transcription) }
        guard !kinds.isEmpty else { return }
        for kind in kinds { counters.metaArtifacts.count(kind, status: "requested") }
        logger.info("meta capture requested", metadata: Self.metadata(context, [
            "meta.kinds": kinds.map(\.rawValue).joined(separator: ","),
            "meta.announcement_language": capture.announcementLanguage ?? ""]))
        let records = ports.records
        let requested = kinds
        enqueue(id, .signalling) { await records.metaCaptureRequested(requested, call: id) }
    }

    /// A `call_recording_available` / `call_transcription_available` result. It
    /// changes no call: it goes to the record keeper, which writes it onto the
    /// CDR with that wacid. A result for a wacid no call has is counted and
    /// logged (rate-limited: outside data chooses the wacids).
    public func handleMetaArtifact(_ artifact: MetaArtifact) async {
        let wacid = artifact.wacid
        let known = byWACID[wacid] != nil || routing.contains(wacid) || unclaimed[wacid] != nil
        let outcome = await ports.records.attach(artifact, known: known)
        let status = outcome == .linked ? artifact.status : outcome.rawValue
        counters.metaArtifacts.count(artifact.kind, status: status)
        var metadata: Logger.Metadata = ["wacid": .string(wacid.rawValue), "meta.kind": .string(artifact.kind.rawValue),
                                         "meta.outcome": .string(outcome.rawValue)]
        if let mediaID = artifact.mediaID { metadata["meta.media_id"] = .string(mediaID) }
        switch outcome {
        case .unknownCall:
            if unknownArtifactLog.allow(now: clock.now) {
                logger.warning("meta result for an unknown call", metadata: metadata)
            }
        case .pending: logger.info("meta result held until the call record carries its wacid", metadata: metadata)
        case .linked: logger.info("meta result linked to the call record", metadata: metadata)
        }
    }
}

/// At most `burst` lines per `interval`: how often a result for an unknown
/// wacid is logged (each is still counted).
struct LogAllowance: Sendable {
    private var windowStart: Date?
    private var used = 0
    private let burst = 5
    private let interval: TimeInterval = 60

    /// Whether one more line may be written at `now`.
    mutating func allow(now: Date) -> Bool {
        if let start = windowStart, now.timeIntervalSince(start) < interval {
            guard used < burst else { return false }
            used += 1
            return true
        }
        windowStart = now
        used = 1
        return true
    }
}
