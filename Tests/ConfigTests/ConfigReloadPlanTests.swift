import Foundation
import Testing
@testable import Config

/// What a reloaded file changes: live sections taken, restart-only keys named and kept.
@Suite("reload plan") struct ConfigReloadPlanTests {
    static let base = """
        [general]
        listen = udp:127.0.0.1:5060
        rtp_port_range = 20000-20100
        early_media = ringing
        [http]
        listen = 127.0.0.1:8080
        [alice]
        type = user
        secret = one
        allow = +*
        """

    @Test("the same file changes nothing")
    func unchanged() throws {
        let config = try TestSupport.parse(Self.base)
        #expect(ConfigReloadPlan(running: config, loaded: try TestSupport.parse(Self.base)).isEmpty)
    }

    @Test("a new user, a changed secret and a new trunk are applied")
    func entities() throws {
        let running = try TestSupport.parse(Self.base)
        let loaded = try TestSupport.parse(Self.base.replacingOccurrences(of: "secret = one", with: "secret = two") + """

            [dave]
            type = user
            secret = d
            allow = +44*
            [pbx]
            type = trunk
            host = 192.0.2.10
            allow = +*
            """)
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.applied == ["users", "trunks"])
        #expect(plan.restartRequired.isEmpty)
        #expect(plan.effective.user(named: "alice")?.secret.reveal() == "two")
        #expect(plan.effective.user(named: "dave") != nil)
        #expect(plan.effective.trunk(named: "pbx") != nil)
    }

    @Test("listeners, the RTP range and [http] need a restart and keep their running values")
    func restartOnly() throws {
        let running = try TestSupport.parse(Self.base)
        let loaded = try TestSupport.parse(Self.base
            .replacingOccurrences(of: "udp:127.0.0.1:5060", with: "udp:127.0.0.1:5070")
            .replacingOccurrences(of: "20000-20100", with: "30000-30100")
            .replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:8090")
            .replacingOccurrences(of: "early_media = ringing", with: "early_media = ringback"))
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.restartRequired == ["general.listen", "general.rtp_port_range", "http.listen"])
        #expect(plan.applied == ["general"])
        #expect(plan.effective.general.listeners == running.general.listeners)
        #expect(plan.effective.general.rtpPortRange == 20000...20100)
        #expect(plan.effective.http == running.http)
        #expect(plan.effective.general.earlyMedia == .ringback)
    }

    @Test("dial plan, inbound plan and ring groups are live")
    func routing() throws {
        let running = try TestSupport.parse(Self.base)
        let loaded = try TestSupport.parse(Self.base + """

            [dialplan]
            default_country_code = 44
            [inbound]
            target = group:sales
            [sales]
            type = ringgroup
            members = alice
            """)
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.applied == ["ringgroups", "dialplan", "inbound"])
        #expect(plan.effective.inbound.target == .group("sales"))
        #expect(plan.restartRequired.isEmpty)
    }

    @Test("property names become config-file keys")
    func keys() {
        #expect(ConfigFieldDiff<GeneralConfig>.key("rtpPortRange") == "rtp_port_range")
        #expect(ConfigFieldDiff<GeneralConfig>.key("listeners") == "listen")
        #expect(ConfigFieldDiff<GeneralConfig>.key("realm") == "realm")
    }
}
