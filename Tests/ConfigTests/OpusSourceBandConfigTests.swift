import Testing
@testable import Config

@Suite("[media] opus_source_band") struct OpusSourceBandConfigTests {
    @Test("on by default; a boolean; anything else is refused with its line")
    func values() throws {
        #expect(try TestSupport.parse("").media.opusSourceBand)
        #expect(try !TestSupport.parse("[media]\nopus_source_band = no").media.opusSourceBand)
        #expect(TestSupport.problems("[media]\nopus_source_band = narrow").first?.hasPrefix("sip.conf:2: bad value 'narrow' for 'opus_source_band'") == true)
    }
}
