/// The call's own stereo WAV recording (left: the SIP side, right: the
/// WhatsApp side), started and stopped on the bridge's loop. Files are named
/// from wagate's call id and the SIP leg's port only: `{label}-{port}.wav`,
/// then `{label}-{port}-2.wav`, `-3.wav`… for each restart after a stop, so a
/// restart never overwrites an earlier file.
extension BridgeCore {
    /// The most files one call records into (starts after stops).
    static let maximumRecordingFiles = 100

    /// Notes where this call's recordings go (the SIP leg's port makes the name
    /// unique) and starts the first when every call records from its start.
    func prepareRecording(port: Int) {
        guard let directory = setup.configuration.recordingDirectory else { return }
        let label = String(setup.configuration.label.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        recordingBase = "\(directory)/\(label)-\(port)"
        if setup.configuration.recordsFromStart { _ = beginRecording() }
    }

    /// Opens the next recording file unless one is open, the bridge has no
    /// directory, or the SIP leg is in Opus pass-through (no decoded audio).
    func beginRecording() -> MediaRecordingOutcome {
        guard !closed else { return .closed }
        guard let base = recordingBase else { return .noDirectory }
        if let recorder { return .alreadyRecording(recorder.path) }
        if parameters?.codec.isPassThrough == true { return .passThrough }
        guard recordingFiles.count < Self.maximumRecordingFiles else { return .tooManyFiles }
        let path = recordingFiles.isEmpty ? "\(base).wav" : "\(base)-\(recordingFiles.count + 1).wav"
        guard let opened = WAVRecorder(path: path, sampleRate: legRate) else {
            setup.logger.warning("cannot create the call recording", metadata: ["path": "\(path)"])
            return .cannotCreate(path)
        }
        recorder = opened
        recordingFiles.append(path)
        return .started(path)
    }

    /// Closes the open recording: the buffered audio is written and the RIFF sizes patched.
    func endRecording() -> MediaRecordingOutcome {
        guard let open = recorder else { return .notRecording }
        open.close()
        recorder = nil
        return .stopped(open.path)
    }

    /// Every file this call recorded into, oldest first, separated by spaces (the CDR's `recording_path`).
    var recordingPaths: String? {
        recordingFiles.isEmpty ? nil : recordingFiles.joined(separator: " ")
    }

    /// Writes a frame pair to the recording: what the SIP side said now, what WhatsApp said last.
    func record(sip frame: UnsafeBufferPointer<Int16>) {
        guard let recorder else { return }
        recorder.append(left: frame, right: UnsafeBufferPointer(rebasing: buffers.lastWhatsApp[0..<frame.count]))
        buffers.lastWhatsApp.update(repeating: 0)
    }
}
