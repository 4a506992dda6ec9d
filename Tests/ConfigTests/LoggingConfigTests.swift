import Testing
@testable import Config

@Suite("[general] log_format, sip_trace and the systemd drop-in") struct LoggingConfigTests {
    @Test("text without tracing by default; json and sip_trace when set")
    func values() throws {
        #expect(try TestSupport.parse("").general.logging == LoggingConfig(format: .text, sipTrace: false))
        let general = try TestSupport.parse("""
            [general]
            log_format = JSON
            sip_trace = yes
            """).general
        #expect(general.logging == LoggingConfig(format: .json, sipTrace: true))
    }

    @Test("an unknown format or a non-boolean sip_trace is refused with its line")
    func refused() {
        let problems = TestSupport.problems("""
            [general]
            log_format = xml
            sip_trace = sometimes
            """)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("sip.conf:2:") && $0.contains("text, json") })
        #expect(problems.contains { $0.hasPrefix("sip.conf:3:") && $0.contains("sip_trace") })
    }

    @Test("the drop-in grants CAP_NET_BIND_SERVICE only for a port below 1024")
    func dropIn() throws {
        let unprivileged = try TestSupport.parse("""
            [general]
            listen = udp:0.0.0.0:5060
            [http]
            listen = 127.0.0.1:8080
            """)
        #expect(unprivileged.privilegedListeners.isEmpty)
        #expect(!unprivileged.systemdDropIn(source: "sip.conf").contains("CAP_NET_BIND_SERVICE\n"))
        #expect(!unprivileged.systemdDropIn(source: "sip.conf").contains("[Service]"))

        let low = try TestSupport.parse("""
            [general]
            listen = udp:0.0.0.0:5060, tls:0.0.0.0:443
            tls_certificate = \(TestSupport.fixture("cert.pem"))
            tls_private_key = \(TestSupport.fixture("key.pem"))
            [http]
            listen = 0.0.0.0:80
            """)
        #expect(low.privilegedListeners == ["SIP tls:0.0.0.0:443", "HTTP 0.0.0.0:80"])
        let text = low.systemdDropIn(source: "sip.conf")
        #expect(text.contains("[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"))
    }
}
