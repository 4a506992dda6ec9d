// `[whatsapp] simulator_media`, parsed once into a typed value.

import Testing
@testable import Config

@Suite("simulator_media")
struct SimulatorMediaTests {
    @Test("echo, tone:HZ and cheap[:HZ] parse; the default is a 440 Hz tone")
    func parsing() throws {
        #expect(SimulatorMedia.parse("echo") == .echo)
        #expect(SimulatorMedia.parse("ECHO") == .echo)
        #expect(SimulatorMedia.parse("tone:1000") == .tone(hertz: 1000))
        #expect(SimulatorMedia.parse("Tone:50") == .tone(hertz: 50))
        #expect(SimulatorMedia.parse("cheap") == .cheapTone(hertz: 440))
        #expect(SimulatorMedia.parse("Cheap:600") == .cheapTone(hertz: 600))
        for bad in ["tone:49", "tone:4001", "tone:", "tone:nan", "tone:inf", "beep", "", "tone:440hz", "cheap:", "cheap:9000",
                    "cheap600", "echo:1"] {
            #expect(SimulatorMedia.parse(bad) == nil, "\(bad)")
        }
        #expect(WhatsAppConfig.defaults.simulatorMedia == .tone(hertz: 440))
    }

    @Test("a bad value is reported with its file and line")
    func problems() throws {
        let config = try TestSupport.parse("[whatsapp]\nmode = sandbox\nsimulator_media = tone:800")
        #expect(config.whatsapp.simulatorMedia == .tone(hertz: 800))
        let problems = TestSupport.problems("[whatsapp]\nmode = sandbox\nsimulator_media = tone:9000")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("sip.conf:3:") == true)
    }
}
