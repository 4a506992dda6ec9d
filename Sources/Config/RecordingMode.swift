// `[media] recording`: whether wagate records calls itself, every call from its
// start or only those an operator starts through the admin API.

/// How the gateway's own call recording is switched on (`[media] recording`).
public enum RecordingMode: String, Sendable, Equatable, CaseIterable {
    /// `no`: nothing is recorded and the admin API refuses to start a recording.
    case off = "no"
    /// `on_demand`: calls are recorded only between an operator's start and stop
    /// (`POST`/`DELETE /api/v1/calls/{id}/recording`), like Asterisk's
    /// MixMonitor/StopMixMonitor or FreeSWITCH's `uuid_record`.
    case onDemand = "on_demand"
    /// `yes`: every call records from the moment its media opens; an operator
    /// can still stop and restart it.
    case always = "yes"

    /// Whether an operator may start a recording on a live call.
    public var allowsLiveRecording: Bool { self != .off }
}
