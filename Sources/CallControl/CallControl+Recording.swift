// Starting and stopping the gateway's own recording of a live call: call
// control finds the call and logs the change; the bridge does the recording.

extension CallControl {
    /// Starts (`on`) or stops recording `id` on its media bridge. Logs
    /// `call recording started` / `call recording stopped` with the call's ids
    /// and the file; `noSuchCall` when no live call has this id.
    public func setRecording(_ id: CallID, on: Bool) async -> CallRecordingOutcome {
        guard let entry = calls[id], !entry.machine.isEnded else { return .noSuchCall }
        let context = entry.machine.context
        let outcome = await ports.media.setRecording(on, call: id, context: context)
        switch outcome {
        case .started(let path):
            logger.notice("call recording started", metadata: Self.metadata(context, ["path": path]))
        case .stopped(let path):
            logger.notice("call recording stopped", metadata: Self.metadata(context, ["path": path]))
        case .alreadyRecording, .noSuchCall, .refused:
            break
        }
        return outcome
    }
}
