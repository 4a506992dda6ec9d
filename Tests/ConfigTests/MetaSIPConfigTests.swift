// A number's signalling (`signaling = graph | sip`) and its SIP-mode keys, the
// simulator's SIP listener keys, the certificate name matching and the reload rule.

import Testing
@testable import Config

@Suite("SIP-mode numbers")
struct MetaSIPConfigTests {
    /// `[general]` with a TLS listener (the files only need to be readable).
    static let tlsGeneral = """
        [general]
        listen = udp:127.0.0.1:5060, tls:127.0.0.1:5061
        tls_certificate = \(TestSupport.fixture("cert.pem"))
        tls_private_key = \(TestSupport.fixture("key.pem"))

        """

    static func numbers(_ sales: String, support: String = "") -> String {
        tlsGeneral + """
            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            \(sales)

            [support]
            type = number
            phone_number_id = 222
            business_number = +15550100001
            \(support)
            """
    }

    @Test("S1 graph is the default; metaSIP is set exactly when signaling = sip, with every default")
    func defaults() throws {
        let config = try TestSupport.parse(Self.numbers("signaling = sip\nsip_domain = SIP.Example.com"))
        let sales = try #require(config.number(named: "sales"))
        #expect(sales.signaling == .sip)
        #expect(sales.metaSIP == MetaSIPConfig(domain: "sip.example.com", username: "15550100000"))
        let support = try #require(config.number(named: "support"))
        #expect(support.signaling == .graph && support.metaSIP == nil)
        #expect(config.metaSIPNumbers.map(\.name) == ["sales"])
    }

    @Test("S2 every SIP-mode key is read; sip_password takes ${VAR}")
    func everyKey() throws {
        let config = try TestSupport.parse(Self.numbers("""
            signaling = sip
            sip_host = 192.0.2.10
            sip_port = 5071
            sip_domain = sip.example.com
            sip_username = sales-user
            sip_password = ${SALES_SIP}
            srtp = sdes
            sip_source_networks = 157.240.0.0/16, 2a03:2880::/32, 31.13.64.1
            sip_inbound_auth = yes
            """), environment: ["SALES_SIP": "s3cret"])
        let sip = try #require(config.number(named: "sales")?.metaSIP)
        #expect(sip.host == "192.0.2.10" && sip.port == 5071 && sip.domain == "sip.example.com")
        #expect(sip.username == "sales-user" && sip.password?.reveal() == "s3cret")
        #expect(sip.srtp == .sdes && sip.inboundAuth)
        #expect(sip.sourceNetworks.map(\.description) == ["157.240.0.0/16", "2a03:2880::/32", "31.13.64.1/32"])
    }

    @Test("S3 SIP-only keys on a graph number are errors at their line")
    func sipKeysOnGraph() {
        let problems = TestSupport.problems(Self.numbers("sip_domain = sip.example.com\nsrtp = sdes"))
        #expect(problems == [
            "sip.conf:9: 'sip_domain' needs signaling = sip in [sales]",
            "sip.conf:10: 'srtp' needs signaling = sip in [sales]",
        ])
    }

    @Test("S4 SIP mode needs sip_domain and a tls listener; the error names the number")
    func requirements() {
        #expect(TestSupport.problems(Self.numbers("signaling = sip")) == [
            "sip.conf:5: missing required key 'sip_domain' in [sales] (required with signaling = sip: "
                + "the SIP domain configured for the number at Meta)",
        ])
        let udpOnly = Self.numbers("signaling = sip\nsip_domain = sip.example.com")
            .replacingOccurrences(of: ", tls:127.0.0.1:5061", with: "")
            .replacingOccurrences(of: "tls_certificate = \(TestSupport.fixture("cert.pem"))\n", with: "")
            .replacingOccurrences(of: "tls_private_key = \(TestSupport.fixture("key.pem"))\n", with: "")
        #expect(TestSupport.problems(udpOnly) == [
            "sip.conf:7: [sales] has signaling = sip, which needs a tls: listener in [general] listen "
                + "(Meta speaks SIP over TLS only), e.g. 'listen = tls:0.0.0.0:5061'",
        ])
    }

    @Test("S5 bad values are refused with what was expected", arguments: [
        ("signaling = webrtc", "bad value 'webrtc' for 'signaling' in [sales]: expected one of graph, sip"),
        ("signaling = sip\nsip_domain = 192.0.2.1", "bad value '192.0.2.1' for 'sip_domain'"),
        ("signaling = sip\nsip_domain = localhost", "bad value 'localhost' for 'sip_domain'"),
        ("signaling = sip\nsip_domain = a..b", "bad value 'a..b' for 'sip_domain'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_host = bad_host", "bad value 'bad_host' for 'sip_host'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_port = 0", "bad value '0' for 'sip_port'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_port = 65536", "bad value '65536' for 'sip_port'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_username = a b", "bad value 'a b' for 'sip_username'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_username = a\"b", "for 'sip_username'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_password =", "empty value for 'sip_password'"),
        ("signaling = sip\nsip_domain = s.example.com\nsrtp = zrtp", "bad value 'zrtp' for 'srtp'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_source_networks = 10.0.0.0/33",
         "bad value '10.0.0.0/33' for 'sip_source_networks'"),
        ("signaling = sip\nsip_domain = s.example.com\nsip_inbound_auth = maybe", "for 'sip_inbound_auth'"),
    ])
    func badValues(keys: String, expected: String) {
        let problems = TestSupport.problems(Self.numbers(keys))
        #expect(problems.count == 1)
        #expect(problems.first?.contains(expected) == true, "\(problems)")
    }

    @Test("S6 the implicit [whatsapp] number reads the keys from [whatsapp]; with number sections they are refused")
    func implicitNumber() throws {
        let config = try TestSupport.parse(Self.tlsGeneral + """
            [whatsapp]
            signaling = sip
            sip_domain = sip.example.com
            """)
        let number = try #require(config.numbers.first)
        #expect(number.name == NumberConfig.implicitName && number.signaling == .sip)
        #expect(number.metaSIP?.username == WhatsAppConfig.sandboxBusinessNumber.dropFirst().description)
        let mixed = Self.numbers("").replacingOccurrences(of: "[sales]", with: "[whatsapp]\nsip_domain = a.example.com\n\n[sales]")
        #expect(TestSupport.problems(mixed) == [
            "sip.conf:6: 'sip_domain' in [whatsapp] cannot be combined with type = number sections; "
                + "set it in each type = number section",
        ])
    }

    @Test("S7 simulator_sip_listen defaults to 127.0.0.1:15061; the sandbox sends SIP-mode numbers there")
    func simulatorListen() throws {
        let config = try TestSupport.parse(Self.numbers("signaling = sip\nsip_domain = sip.example.com"))
        #expect(config.whatsapp.simulatorSIPListen == SocketAddressSpec(host: "127.0.0.1", port: 15061))
        #expect(config.whatsapp.simulatorSIPIdentity == nil)
        let sales = try #require(config.number(named: "sales"))
        #expect(config.metaSIPAddress(of: sales) == SocketAddressSpec(host: "127.0.0.1", port: 15061))
        #expect(config.metaSIPAddress(of: try #require(config.number(named: "support"))) == nil)
        var cloud = config
        cloud.whatsapp.mode = .cloud
        #expect(cloud.metaSIPAddress(of: sales) == SocketAddressSpec(host: "wa.meta.vc", port: 5061))
        let moved = try TestSupport.parse(Self.tlsGeneral + """
            [whatsapp]
            simulator_sip_listen = 127.0.0.2:25061
            simulator_sip_certificate = \(TestSupport.fixture("cert.pem"))
            simulator_sip_private_key = \(TestSupport.fixture("key.pem"))
            """)
        #expect(moved.whatsapp.simulatorSIPListen == SocketAddressSpec(host: "127.0.0.2", port: 25061))
        #expect(moved.whatsapp.simulatorSIPIdentity == TLSFiles(certificatePath: TestSupport.fixture("cert.pem"),
                                                                privateKeyPath: TestSupport.fixture("key.pem")))
    }

    @Test("S9 a sandbox simulator SIP listener below 1024 needs the capability, only with a SIP-mode number")
    func privilegedSimulatorSIP() throws {
        let low = "\n[whatsapp]\nsimulator_sip_listen = 127.0.0.1:561\n"
        let sip = try TestSupport.parse(Self.numbers("signaling = sip\nsip_domain = sip.example.com") + low)
        #expect(sip.privilegedListeners == ["simulator SIP 127.0.0.1:561"])
        let graph = try TestSupport.parse(Self.numbers("") + low)
        #expect(graph.privilegedListeners.isEmpty)
    }

    @Test("S8 the simulator's SIP identity needs both files; its listener an IP:PORT")
    func simulatorIdentityProblems() {
        #expect(TestSupport.problems(TestSupport.minimal + "\n[whatsapp]\nsimulator_sip_certificate = \(TestSupport.fixture("cert.pem"))") == [
            "sip.conf:9: 'simulator_sip_certificate' requires 'simulator_sip_private_key' in [whatsapp]",
        ])
        #expect(TestSupport.problems(TestSupport.minimal + "\n[whatsapp]\nsimulator_sip_listen = wa.meta.vc:5061") == [
            "sip.conf:9: bad value 'wa.meta.vc:5061' for 'simulator_sip_listen' in [whatsapp]: expected IP:PORT, e.g. '127.0.0.1:15061'",
        ])
    }
}

@Suite("certificate names (RFC 6125)")
struct CertificateNamesTests {
    @Test("C1 subjectAltName DNS names are checked, the CN only without them; a wildcard is one whole label")
    func matching() {
        let san = CertificateNames(dnsNames: ["sip.example.com", "*.pbx.example.net"], commonName: "other.example.org")
        #expect(san.covers("sip.example.com") && san.covers("SIP.Example.COM.") && san.covers("a.pbx.example.net"))
        #expect(!san.covers("other.example.org"))
        #expect(!san.covers("pbx.example.net") && !san.covers("a.b.pbx.example.net") && !san.covers("example.com"))
        let cnOnly = CertificateNames(dnsNames: [], commonName: "sip.example.com")
        #expect(cnOnly.covers("sip.example.com") && cnOnly.presented == ["sip.example.com"])
        #expect(!CertificateNames(dnsNames: ["*.com"], commonName: nil).covers("example.com"))
        #expect(!CertificateNames(dnsNames: ["s*.example.com"], commonName: nil).covers("sip.example.com"))
        #expect(!CertificateNames(dnsNames: [], commonName: nil).covers("sip.example.com"))
        #expect(!san.covers("") && !san.covers("."))
    }

    @Test("C2 a SIP-mode domain the certificate lacks is a problem naming the number and the names it has")
    func problems() throws {
        let config = try TestSupport.parse(MetaSIPConfigTests.numbers(
            "signaling = sip\nsip_domain = sip.example.com", support: "signaling = sip\nsip_domain = b.example.org"))
        let names = CertificateNames(dnsNames: ["sip.example.com", "*.example.net"], commonName: nil)
        #expect(config.metaSIPCertificateProblems(names) == [
            "sip_domain 'b.example.org' of [support] is not covered by the TLS certificate '\(TestSupport.fixture("cert.pem"))', which has "
                + "the names sip.example.com, *.example.net: Meta checks that the certificate names the SIP domain "
                + "configured for the number",
        ])
    }
}

@Suite("reloading SIP-mode numbers")
struct MetaSIPReloadTests {
    @Test("R1 signalling and SIP-mode keys are restart-only; the number's other keys apply")
    func restartOnly() throws {
        let running = try TestSupport.parse(MetaSIPConfigTests.numbers("signaling = sip\nsip_domain = a.example.com"))
        let loaded = try TestSupport.parse(MetaSIPConfigTests.numbers(
            "signaling = sip\nsip_domain = b.example.com\nsrtp = sdes\nmax_calls = 7", support: "signaling = sip\nsip_domain = a.example.com"))
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.restartRequired == ["sales.sip_domain", "sales.srtp", "support.signaling"])
        #expect(plan.applied == ["numbers"])
        let sales = try #require(plan.effective.number(named: "sales"))
        #expect(sales.metaSIP?.domain == "a.example.com" && sales.metaSIP?.srtp == .dtls && sales.maxCalls == 7)
        let support = try #require(plan.effective.number(named: "support"))
        #expect(support.signaling == .graph && support.metaSIP == nil)
    }

    @Test("R4 the simulator's SIP listener and identity are restart-only, named by their keys")
    func simulatorKeys() throws {
        let running = try TestSupport.parse(TestSupport.minimal)
        let loaded = try TestSupport.parse(TestSupport.minimal + """

            [whatsapp]
            simulator_sip_listen = 127.0.0.1:25061
            simulator_sip_certificate = \(TestSupport.fixture("cert.pem"))
            simulator_sip_private_key = \(TestSupport.fixture("key.pem"))
            """)
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.restartRequired == ["whatsapp.simulator_sip_listen", "whatsapp.simulator_sip_certificate"])
        #expect(plan.effective.whatsapp.simulatorSIPListen.port == 15061)
    }

    @Test("R2 a password fetched at start stays when the file still has none")
    func fetchedPasswordKept() throws {
        var running = try TestSupport.parse(MetaSIPConfigTests.numbers("signaling = sip\nsip_domain = a.example.com"))
        running.numbers[0].metaSIP?.password = Secret("from-meta")
        let loaded = try TestSupport.parse(MetaSIPConfigTests.numbers("signaling = sip\nsip_domain = a.example.com"))
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.isEmpty)
        #expect(plan.effective.numbers[0].metaSIP?.password?.reveal() == "from-meta")
    }

    @Test("R3 a new SIP-mode number waits for a restart; a dropped one keeps running")
    func addedAndDropped() throws {
        let running = try TestSupport.parse(MetaSIPConfigTests.numbers("signaling = sip\nsip_domain = a.example.com"))
        let loaded = try TestSupport.parse(MetaSIPConfigTests.tlsGeneral + """
            [support]
            type = number
            phone_number_id = 222
            business_number = +15550100001

            [third]
            type = number
            phone_number_id = 333
            business_number = +15550100002
            signaling = sip
            sip_domain = c.example.com
            """)
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        // (The default number changes too, which [whatsapp]'s restart-only keys report.)
        #expect(Array(plan.restartRequired.prefix(2)) == ["third.signaling", "sales.signaling"])
        #expect(plan.effective.numbers.map(\.name) == ["support", "sales"])
    }
}
