import Testing
@testable import Config

@Suite("[media] admission_max_busy") struct AdmissionLoadConfigTests {
    @Test("default 85 %, a percentage as a ratio, 100 turns load admission off")
    func values() throws {
        #expect(try TestSupport.parse("").media.admissionMaxBusy == 0.85)
        #expect(try TestSupport.parse("[media]\nadmission_max_busy = 70").media.admissionMaxBusy == 0.7)
        #expect(try TestSupport.parse("[media]\nadmission_max_busy = 100").media.admissionMaxBusy == nil)
    }

    @Test("0, over 100 and fractions are refused with their line")
    func refused() {
        for value in ["0", "101", "0.85"] {
            let problems = TestSupport.problems("[media]\nadmission_max_busy = \(value)")
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("sip.conf:2:") == true && problems.first?.contains("admission_max_busy") == true)
        }
    }
}
