import Testing
@testable import Config

@Suite("[media] recording keys") struct RecordingConfigTests {
    @Test("no, yes and on_demand, with the directory kept for both recording modes")
    func modes() throws {
        let off = try TestSupport.parse("[media]\nrecording = no\nrecording_path = /var/rec").media
        #expect(off.recordingMode == .off && off.recordingDirectory == nil)
        #expect(try TestSupport.parse("").media.recordingMode == .off)
        let always = try TestSupport.parse("[media]\nrecording = yes\nrecording_path = /var/rec").media
        #expect(always.recordingMode == .always && always.recordingDirectory == "/var/rec")
        let demand = try TestSupport.parse("[media]\nrecording = On_Demand\nrecording_path = rec",
                                           baseDirectory: "/etc/wagate/").media
        #expect(demand.recordingMode == .onDemand && demand.recordingDirectory == "/etc/wagate/rec")
        #expect(demand.recordingMode.allowsLiveRecording && !off.recordingMode.allowsLiveRecording)
    }

    @Test("a bad mode, a missing directory and a path with spaces are refused with their line")
    func refused() {
        #expect(TestSupport.problems("[media]\nrecording = sometimes\nrecording_path = /r") == [
            "sip.conf:2: bad value 'sometimes' for 'recording' in [media]: expected yes, no or on_demand",
        ])
        #expect(TestSupport.problems("[media]\nrecording = on_demand") == [
            "sip.conf:1: missing required key 'recording_path' in [media] (required when recording = on_demand)",
        ])
        #expect(TestSupport.problems("[media]\nrecording = yes\nrecording_path = /var/my rec") == [
            "sip.conf:3: bad value '/var/my rec' for 'recording_path' in [media]: expected a directory path without spaces",
        ])
    }

    @Test("a reload that changes the recording keys names them as the file does; they need a restart")
    func reloadNamesTheKeys() throws {
        let running = try TestSupport.parse("[media]\nrecording = no")
        let loaded = try TestSupport.parse("[media]\nrecording = on_demand\nrecording_path = /var/rec")
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.restartRequired == ["media.recording_path", "media.recording"])
    }
}
