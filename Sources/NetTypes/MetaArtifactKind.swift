// Which of Meta's call artifacts a value is about. The webhook decoder
// (WhatsAppCloud) and call control (which links the result to a CDR) both name
// it, so it lives below both.

/// Which Meta artifact: a finished call's audio or its transcript.
public enum MetaArtifactKind: String, Sendable, Equatable, CaseIterable {
    /// The call's audio (`call_recording_available`: `call_recording.audio`).
    case recording
    /// The call's transcript (`call_transcription_available`: `call_transcript.document`).
    case transcription
}
