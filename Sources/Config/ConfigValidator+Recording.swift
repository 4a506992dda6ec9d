// Building `[media] recording` and `recording_path`: the gateway's own stereo
// WAV recordings (left: SIP leg, right: WhatsApp leg).

extension ConfigValidator {
    /// Validates `recording` (a boolean or `on_demand`) and `recording_path`,
    /// which `yes` and `on_demand` require. The path is kept as written
    /// (resolved against the file's directory) and not checked at load: a
    /// missing directory shows as "cannot create the call recording" in the log.
    /// Whitespace is refused in it because a CDR lists a call's files separated
    /// by spaces.
    func buildRecording(_ reader: SectionReader, into config: inout MediaConfig) {
        config.recordingMode = recordingMode(reader)
        guard config.recordingMode != .off else { return }
        let reason = "required when recording = \(config.recordingMode.rawValue)"
        guard let entry = reader.required("recording_path", reason: reason) else { return }
        guard let directory = reader.path("recording_path", baseDirectory: baseDirectory),
              !directory.contains(where: \.isWhitespace) else {
            reader.bad(entry, expected: "a directory path without spaces")
            config.recordingMode = .off
            return
        }
        config.recordingDirectory = directory
    }

    /// `recording`: yes/no (and the other boolean spellings) or `on_demand`.
    private func recordingMode(_ reader: SectionReader) -> RecordingMode {
        guard let entry = reader.usable("recording") else { return .off }
        let value = TextScanning.asciiLowercased(entry.value)
        if value == RecordingMode.onDemand.rawValue { return .onDemand }
        if ["yes", "true", "on", "1"].contains(value) { return .always }
        if ["no", "false", "off", "0"].contains(value) { return .off }
        reader.bad(entry, expected: "yes, no or on_demand")
        return .off
    }
}
