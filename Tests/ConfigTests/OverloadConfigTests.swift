import Testing
@testable import Config

@Suite("[general] overload keys") struct OverloadConfigTests {
    @Test("defaults, explicit values and 0 for off")
    func values() throws {
        #expect(try TestSupport.parse("").general.overload == OverloadConfig())
        let general = try TestSupport.parse("""
            [general]
            source_invite_rate = 0
            source_register_rate = 3
            trunk_invite_rate = 50
            call_attempt_rate = 250
            """).general
        #expect(general.overload.sourceInviteRate == 0)
        #expect(general.overload.sourceRegisterRate == 3)
        #expect(general.overload.trunkInviteRate == 50)
        #expect(general.overload.callAttemptRate == 250)
    }

    @Test("negative, huge and non-numeric rates are refused with their line")
    func refused() {
        let problems = TestSupport.problems("""
            [general]
            source_invite_rate = -1
            call_attempt_rate = 99999999999999999999
            source_register_rate = fast
            """)
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("sip.conf:2:") && $0.contains("source_invite_rate") })
        #expect(problems.contains { $0.hasPrefix("sip.conf:3:") && $0.contains("call_attempt_rate") })
        #expect(problems.contains { $0.hasPrefix("sip.conf:4:") && $0.contains("source_register_rate") })
    }
}
