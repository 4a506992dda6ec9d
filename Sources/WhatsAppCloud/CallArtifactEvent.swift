public import Foundation
public import NetTypes

/// A `call_recording_available` or `call_transcription_available` item on the
/// `calls` field: the media asset of a finished call (Meta's "Call recording" and
/// "Call transcription" pages). Every text field is bounded; a field over its
/// bound or of the wrong shape is dropped, never trusted.
public struct CallArtifactEvent: Sendable, Equatable {
    /// The wacid.
    public var callID: String
    /// Recording or transcription.
    public var kind: MetaArtifactKind
    /// `audio.id` / `document.id`: the media id for Meta's Media API.
    public var mediaID: String?
    /// `url`: a download URL valid for minutes.
    public var url: String?
    /// `mime_type`.
    public var mimeType: String?
    /// `sha256` (base64).
    public var sha256: String?
    /// The event time.
    public var timestamp: Date?
    /// The number and account the delivery is for.
    public var metadata: WebhookMetadata

    /// Longest accepted media id, URL, MIME type and hash.
    static let bounds = (id: 128, url: 2048, mime: 128, sha: 128)

    /// Creates an event.
    public init(callID: String, kind: MetaArtifactKind, mediaID: String? = nil, url: String? = nil,
                mimeType: String? = nil, sha256: String? = nil, timestamp: Date? = nil,
                metadata: WebhookMetadata = .init()) {
        self.callID = callID
        self.kind = kind
        self.mediaID = mediaID
        self.url = url
        self.mimeType = mimeType
        self.sha256 = sha256
        self.timestamp = timestamp
        self.metadata = metadata
    }

    /// Decodes one `calls[]` item whose `event` names an artifact.
    static func decode(_ call: JSONValue, id: String, kind: MetaArtifactKind, metadata: WebhookMetadata) -> Self {
        let asset = kind == .recording ? call["call_recording"]?["audio"] : call["call_transcript"]?["document"]
        return Self(
            callID: id, kind: kind,
            mediaID: bounded(asset?["id"], bounds.id) { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber
                || $0 == "." || $0 == "_" || $0 == "-") } },
            url: bounded(asset?["url"], bounds.url) { $0.hasPrefix("https://") || $0.hasPrefix("http://") },
            mimeType: bounded(asset?["mime_type"], bounds.mime) { _ in true },
            sha256: bounded(asset?["sha256"], bounds.sha) { _ in true },
            timestamp: call["timestamp"]?.lenientDate, metadata: metadata)
    }

    /// A printable string field within `limit` characters that passes `accept`.
    private static func bounded(_ value: JSONValue?, _ limit: Int, _ accept: (String) -> Bool) -> String? {
        guard let text = value?.stringValue, !text.isEmpty, text.utf8.count <= limit,
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              accept(text) else { return nil }
        return text
    }
}
