import Foundation
import Testing
@testable import Config

@Suite("trunk transport matching and the derived max_calls")
struct TrunkTransportTests {
    private let trunks = TestSupport.minimal + """

        [carrier]
        type = trunk
        host = 198.51.100.10
        transport = tls
        dial = 100
        [pbx]
        type = trunk
        host = 198.51.100.20
        transport = tcp
        dial = 100
        [legacy]
        type = trunk
        host = 198.51.100.30
        dial = 100
        """

    @Test("a TLS trunk is matched only over TLS, a TCP trunk not over UDP")
    func transportMatters() throws {
        let config = try TestSupport.parse(trunks)
        #expect(config.trunk(matchingSource: "198.51.100.10", transport: .udp) == nil)
        #expect(config.trunk(matchingSource: "198.51.100.10", transport: .tcp) == nil)
        #expect(config.trunk(matchingSource: "198.51.100.10", transport: .tls)?.name == "carrier")
        #expect(config.trunk(matchingSource: "198.51.100.20", transport: .udp) == nil)
        #expect(config.trunk(matchingSource: "198.51.100.20", transport: .tcp)?.name == "pbx")
        #expect(config.trunk(matchingSource: "198.51.100.20", transport: .tls)?.name == "pbx")
        for transport in SIPTransport.allCases {
            #expect(config.trunk(matchingSource: "198.51.100.30", transport: transport)?.name == "legacy")
        }
    }

    @Test("max_calls defaults to the calls the RTP range has ports for; 0 is still unlimited")
    func derivedMaxCalls() throws {
        #expect(try TestSupport.parse(TestSupport.minimal).general.maxCalls == 2500)
        let small = TestSupport.minimal.replacingOccurrences(
            of: "[general]\n", with: "[general]\nrtp_port_range = 20000-20199\n")
        #expect(try TestSupport.parse(small).general.maxCalls == 50)
        let unlimited = TestSupport.minimal.replacingOccurrences(of: "[general]\n", with: "[general]\nmax_calls = 0\n")
        #expect(try TestSupport.parse(unlimited).general.maxCalls == nil)
        let explicit = TestSupport.minimal.replacingOccurrences(of: "[general]\n", with: "[general]\nmax_calls = 7\n")
        #expect(try TestSupport.parse(explicit).general.maxCalls == 7)
        #expect(GeneralConfig.callsFitting(10000...10002) == 1)
    }
}
