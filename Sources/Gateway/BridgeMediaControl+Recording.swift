import CallControl
import Media

extension BridgeMediaControl {
    /// Starts or stops the call's recording on its bridge and words a refusal
    /// for the operator (the admin API answers it with 409).
    func setRecording(_ on: Bool, call: CallID, context: CallLogContext) async -> CallRecordingOutcome {
        guard let bridge = calls[call]?.bridge else { return .refused("call \(call) has no media bridge") }
        switch await bridge.setRecording(on) {
        case .started(let path): return .started(path: path)
        case .alreadyRecording(let path): return .alreadyRecording(path: path)
        case .stopped(let path): return .stopped(path: path)
        case .notRecording: return .refused("call \(call) is not being recorded")
        case .noDirectory:
            return .refused("recording is off: set [media] recording = on_demand (or yes) and recording_path")
        case .passThrough: return .refused("pass-through call: no decoded audio to record")
        case .tooManyFiles: return .refused("call \(call) already has the most recordings a call can have")
        case .cannotCreate(let path): return .refused("cannot create the recording file \(path)")
        case .closed: return .refused("call \(call) is ending")
        }
    }
}
