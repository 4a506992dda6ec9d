import CallControl
import Foundation
import Logging
import NetTypes
import Store

/// Meta results held until their call's row carries the wacid: a result that
/// overtakes the CDR write (an outbound call's wacid is written when `connect`
/// returns) still lands. Bounded and short-lived, because wacids come from outside.
struct PendingMetaArtifacts {
    /// How many results are held at most; the oldest goes first.
    static let capacity = 256
    /// How long a result is held.
    static let lifetime: TimeInterval = 600

    private var held: [(artifact: MetaArtifact, since: Date)] = []

    /// Holds `artifact`, dropping expired ones and the oldest beyond capacity.
    mutating func hold(_ artifact: MetaArtifact, now: Date) {
        held.removeAll { now.timeIntervalSince($0.since) > Self.lifetime }
        if held.count >= Self.capacity { held.removeFirst(held.count - Self.capacity + 1) }
        held.append((artifact, now))
    }

    /// Takes the held results for `wacid`.
    mutating func take(wacid: WACID) -> [MetaArtifact] {
        let taken = held.filter { $0.artifact.wacid == wacid }.map(\.artifact)
        if !taken.isEmpty { held.removeAll { $0.artifact.wacid == wacid } }
        return taken
    }

    /// How many are held.
    var count: Int { held.count }
}

extension StoreCallRecords {
    func metaCaptureRequested(_ kinds: [MetaArtifactKind], call: CallID) async {
        do {
            try await store.markMetaCaptureRequested(callID: call.rawValue, kinds: kinds.map(Self.column))
        } catch {
            logger.debug("could not note the meta capture", metadata: ["call_id": "\(call)", "error": "\(error)"])
        }
    }

    func attach(_ artifact: MetaArtifact, known: Bool) async -> MetaArtifactOutcome {
        if await write(artifact) { return .linked }
        guard known else { return .unknownCall }
        pendingArtifacts.hold(artifact, now: Date())
        return .pending
    }

    /// Writes the results held for `wacid` now that its row carries it.
    func applyPending(wacid: WACID) async {
        for artifact in pendingArtifacts.take(wacid: wacid) { _ = await write(artifact) }
    }

    private func write(_ artifact: MetaArtifact) async -> Bool {
        let columns = MetaArtifactColumns(status: artifact.status, mediaID: artifact.mediaID, url: artifact.url)
        do {
            return try await store.attachMetaArtifact(wacid: artifact.wacid.rawValue, kind: Self.column(artifact.kind),
                                                      columns: columns)
        } catch {
            logger.debug("could not write the meta result", metadata: ["wacid": "\(artifact.wacid)", "error": "\(error)"])
            return false
        }
    }

    private static func column(_ kind: MetaArtifactKind) -> MetaArtifactColumn {
        kind == .recording ? .recording : .transcription
    }
}
