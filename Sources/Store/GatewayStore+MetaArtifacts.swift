import Foundation

/// A CDR's columns for one Meta artifact (recording or transcription).
public struct MetaArtifactColumns: Codable, Sendable, Equatable {
    /// `requested` (asked for on connect/accept) or `available` (Meta's webhook came).
    public var status: String?
    /// Meta's media id (download through the Media API within Meta's retention).
    public var mediaID: String?
    /// The download URL Meta sent (short-lived).
    public var url: String?

    /// Creates a value.
    public init(status: String? = nil, mediaID: String? = nil, url: String? = nil) {
        self.status = status
        self.mediaID = mediaID
        self.url = url
    }
}

/// Which artifact column group a write targets.
public enum MetaArtifactColumn: String, Sendable, CaseIterable {
    /// `meta_recording_*`.
    case recording = "meta_recording"
    /// `meta_transcription_*`.
    case transcription = "meta_transcription"
}

extension GatewayStore {
    /// Marks `kinds` as requested on the call's row, unless a result already landed.
    public func markMetaCaptureRequested(callID: String, kinds: [MetaArtifactColumn]) async throws {
        for kind in kinds {
            _ = try await run("meta capture requested", """
                UPDATE calls SET \(kind.rawValue)_status = 'requested'
                WHERE call_id = ? AND \(kind.rawValue)_status IS NULL
                """, [.text(callID)])
        }
    }

    /// Writes Meta's result onto every row with this wacid; whether a row had it.
    public func attachMetaArtifact(wacid: String, kind: MetaArtifactColumn, columns: MetaArtifactColumns)
        async throws -> Bool {
        let rows = try await run("meta artifact", """
            UPDATE calls SET \(kind.rawValue)_status = ?, \(kind.rawValue)_media_id = ?, \(kind.rawValue)_url = ?
            WHERE wacid = ? RETURNING call_id
            """, [columns.status.map { .text($0) } ?? .null, columns.mediaID.map { .text($0) } ?? .null,
                  columns.url.map { .text($0) } ?? .null, .text(wacid)])
        return !rows.isEmpty
    }
}
