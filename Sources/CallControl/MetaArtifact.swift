// Meta-side recording and transcription as call control sees them: what a call
// asks Meta for, the result webhook, and how the record keeper links it to a CDR.

public import Config
import Foundation
public import NetTypes

/// Meta's result for a recorded or transcribed call: the media asset, by wacid.
///
/// The webhook decoder's `CallArtifactEvent` (WhatsAppCloud) carries the same
/// result with more (MIME type, hash, time, the delivery's metadata), but call
/// control imports no I/O target: every webhook reaches it through Gateway's
/// mapping as call control's own values (a typed ``WACID`` here), as the other
/// WhatsApp events do. This is the part the `CallRecords` port stores; the kind
/// is the one ``MetaArtifactKind`` both sides name.
public struct MetaArtifact: Sendable, Equatable {
    /// The call.
    public var wacid: WACID
    /// Recording or transcription.
    public var kind: MetaArtifactKind
    /// Meta's media id.
    public var mediaID: String?
    /// Meta's short-lived download URL.
    public var url: String?

    /// Creates a value.
    public init(wacid: WACID, kind: MetaArtifactKind, mediaID: String? = nil, url: String? = nil) {
        self.wacid = wacid
        self.kind = kind
        self.mediaID = mediaID
        self.url = url
    }

    /// `available` with a media id or URL; `empty` when Meta sent neither.
    public var status: String { mediaID != nil || url != nil ? "available" : "empty" }
}

/// What became of a result handed to the record keeper.
public enum MetaArtifactOutcome: String, Sendable, Equatable {
    /// Written onto the call's CDR.
    case linked
    /// The call is known but its CDR does not carry the wacid yet: held (bounded)
    /// and written when it does.
    case pending
    /// No call has this wacid: dropped.
    case unknownCall = "unknown_call"
}

extension CallRecords {
    /// Records that the call asked Meta for `kinds` (connect or accept). The
    /// default does nothing, for record keepers without CDR columns.
    public func metaCaptureRequested(_ kinds: [MetaArtifactKind], call: CallID) async {}

    /// Links Meta's result to the CDR with its wacid; `known` says whether call
    /// control knows the call (a result for a call it knows is held until the
    /// CDR carries the wacid). The default links nothing.
    public func attach(_ artifact: MetaArtifact, known: Bool) async -> MetaArtifactOutcome {
        known ? .pending : .unknownCall
    }
}

extension WhatsAppCalling {
    /// `connect` asking Meta to record/transcribe per `capture`. The default
    /// leaves the objects out, for adapters that do not support them.
    public func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                        capture: MetaCaptureConfig, context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        try await connect(to: user, from: number, offer: offer, opaque: opaque, context: context)
    }

    /// `accept` asking Meta to record/transcribe per `capture`; as ``connect(to:from:offer:opaque:capture:context:)``.
    public func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, capture: MetaCaptureConfig,
                       context: CallLogContext) async throws(WhatsAppFailure) {
        try await accept(call, number: number, answer: answer, context: context)
    }
}
