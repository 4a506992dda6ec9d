import Testing
@testable import Config

/// Every listener wagate binds counts for the CAP_NET_BIND_SERVICE drop-in:
/// SIP, [http], [onboarding], [admin] and, in sandbox mode, the simulator.
@Suite("privileged ports of every listener") struct PrivilegedPortsConfigTests {
    static let environment = ["TOKEN": "0123456789abcdef-token", "KEY": String(repeating: "ab", count: 32)]

    @Test("an [admin] bind below 1024 gets the capability")
    func admin() throws {
        let config = try TestSupport.parse(TestSupport.minimal + "\n[admin]\nbind = 127.0.0.1:443\ntoken = ${TOKEN}\n",
                                           environment: Self.environment)
        #expect(config.privilegedListeners == ["admin 127.0.0.1:443"])
        #expect(config.systemdDropIn(source: "sip.conf").contains("AmbientCapabilities=CAP_NET_BIND_SERVICE\n"))
        let high = try TestSupport.parse(TestSupport.minimal + "\n[admin]\ntoken = ${TOKEN}\n", environment: Self.environment)
        #expect(high.privilegedListeners.isEmpty)
    }

    @Test("an [onboarding] bind below 1024 gets the capability")
    func onboarding() throws {
        let config = try TestSupport.parse(TestSupport.minimal + """

            [whatsapp]
            app_id = 111222333
            [onboarding]
            bind = 127.0.0.1:80
            token = ${TOKEN}
            encryption_key = ${KEY}
            """, environment: Self.environment)
        #expect(config.privilegedListeners == ["onboarding 127.0.0.1:80"])
        #expect(config.systemdDropIn(source: "sip.conf").contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"))
    }

    @Test("the sandbox simulator's listener counts in sandbox mode only")
    func simulator() throws {
        let sandbox = try TestSupport.parse(TestSupport.minimal + "\n[whatsapp]\nmode = sandbox\nsimulator_listen = 127.0.0.1:81\n")
        #expect(sandbox.privilegedListeners == ["simulator 127.0.0.1:81"])
    }

    @Test("every listener, in file order: SIP, HTTP, onboarding, admin")
    func all() throws {
        let config = try TestSupport.parse("""
            [general]
            listen = udp:127.0.0.1:506
            [http]
            listen = 127.0.0.1:80
            [whatsapp]
            app_id = 111222333
            [onboarding]
            bind = 127.0.0.1:444
            token = ${TOKEN}
            encryption_key = ${KEY}
            [admin]
            bind = 127.0.0.1:443
            token = ${TOKEN}
            """, environment: Self.environment)
        #expect(config.privilegedListeners == ["SIP udp:127.0.0.1:506", "HTTP 127.0.0.1:80",
                                               "onboarding 127.0.0.1:444", "admin 127.0.0.1:443"])
    }
}
