// The gateway's own recording of a live call, as operators start and stop it
// through the admin API (Asterisk's MixMonitor/StopMixMonitor, FreeSWITCH's
// `uuid_record start|stop`).

/// What happened when an operator started or stopped a call's recording.
public enum CallRecordingOutcome: Sendable, Equatable {
    /// Recording into this new file.
    case started(path: String)
    /// Already recording into this file; nothing changed.
    case alreadyRecording(path: String)
    /// The recording into this file was closed.
    case stopped(path: String)
    /// No live call has this id.
    case noSuchCall
    /// The call cannot be recorded (or is not being recorded); the reason for the operator.
    case refused(String)
}
