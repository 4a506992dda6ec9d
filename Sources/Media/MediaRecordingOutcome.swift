/// What a live bridge did when asked to start or stop its recording
/// (`MediaBridge.setRecording(_:)`).
public enum MediaRecordingOutcome: Sendable, Equatable {
    /// A new WAV file was opened at this path.
    case started(String)
    /// The bridge was already recording into this path; nothing changed.
    case alreadyRecording(String)
    /// The recording into this path was closed (its WAV header now final).
    case stopped(String)
    /// Stop asked while nothing was being recorded.
    case notRecording
    /// The bridge has no recording directory (`[media] recording = no`).
    case noDirectory
    /// The SIP leg speaks Opus, forwarded without decoding: there is no PCM to record.
    case passThrough
    /// The call already made ``BridgeCore/maximumRecordingFiles`` files: each restart
    /// creates a file, so an operator's loop cannot fill the disk with one call.
    case tooManyFiles
    /// The file could not be created (a missing or read-only directory).
    case cannotCreate(String)
    /// The bridge is closed.
    case closed
}
