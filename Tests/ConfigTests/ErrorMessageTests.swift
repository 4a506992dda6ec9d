// Every kind of problem, with its exact `FILE:LINE: message` text. These
// strings are the documented error format: change them only on purpose.

import Testing
@testable import Config

@Suite("error messages")
struct ErrorMessageTests {
    @Test("unknown keys suggest the closest valid key of that section")
    func unknownKey() {
        #expect(TestSupport.problems("[general]\nrtp_port_rang = 10000-20000") == [
            "sip.conf:2: unknown key 'rtp_port_rang' in [general]; did you mean 'rtp_port_range'?",
        ])
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = x\nalow = +*") == [
            "sip.conf:4: unknown key 'alow' in [alice]; did you mean 'allow'?",
        ])
        #expect(TestSupport.problems("[media]\nfrobnicate = 1") == [
            "sip.conf:2: unknown key 'frobnicate' in [media]",
        ])
        #expect(TestSupport.problems("[general]\ntype = user") == [
            "sip.conf:2: unknown key 'type' in [general]",
        ])
    }

    @Test("unknown section types suggest the closest type")
    func unknownSectionType() {
        #expect(TestSupport.problems("[carol]\ntype = usr\nsecret = x") == [
            "sip.conf:2: unknown section type 'usr' in [carol]: expected one of user, trunk, ringgroup, number; did you mean 'user'?",
        ])
        #expect(TestSupport.problems("[carol]\ntype = phone") == [
            "sip.conf:2: unknown section type 'phone' in [carol]: expected one of user, trunk, ringgroup, number",
        ])
    }

    @Test("a section without type must be a reserved section")
    func sectionWithoutType() {
        #expect(TestSupport.problems("[genral]\nrealm = x") == [
            "sip.conf:1: section [genral] has no 'type' and is not a reserved section; did you mean [general]?",
        ])
        #expect(TestSupport.problems("[carol]\nsecret = x") == [
            "sip.conf:1: section [carol] has no 'type' and is not a reserved section; add 'type = user', 'type = trunk', 'type = ringgroup' or 'type = number'",
        ])
    }

    @Test("missing required keys are reported at the section header")
    func missingRequiredKey() {
        #expect(TestSupport.problems("\n[alice]\ntype = user\nallow = +*") == [
            "sip.conf:2: missing required key 'secret' in [alice]",
        ])
        #expect(TestSupport.problems("[pbx]\ntype = trunk\nmatch = 10.0.0.0/8") == [
            "sip.conf:1: missing required key 'host' in [pbx]",
        ])
        #expect(TestSupport.problems("[sales]\ntype = ringgroup") == [
            "sip.conf:1: missing required key 'members' in [sales]",
        ])
        #expect(TestSupport.problems("[media]\nrecording = yes") == [
            "sip.conf:1: missing required key 'recording_path' in [media] (required when recording = yes)",
        ])
    }

    @Test("cloud mode requires five credentials, one problem each")
    func cloudModeRequirements() {
        #expect(TestSupport.problems("[whatsapp]\nmode = cloud\nphone_number_id = 123") == [
            "sip.conf:1: missing required key 'business_number' in [whatsapp] (required when mode = cloud)",
            "sip.conf:1: missing required key 'access_token' in [whatsapp] (required when mode = cloud)",
            "sip.conf:1: missing required key 'app_secret' in [whatsapp] (required when mode = cloud)",
            "sip.conf:1: missing required key 'verify_token' in [whatsapp] (required when mode = cloud)",
        ])
    }

    @Test("bad addresses say what was expected")
    func badAddresses() {
        #expect(TestSupport.problems("[general]\nlisten = udp:127.0.0.1") == [
            "sip.conf:2: bad value 'udp:127.0.0.1' for 'listen' in [general]: expected TRANSPORT:IP:PORT with transport udp, tcp or tls, e.g. 'udp:0.0.0.0:5060' or 'tls:[::]:5061'",
        ])
        #expect(TestSupport.problems("[http]\nlisten = localhost:8080") == [
            "sip.conf:2: bad value 'localhost:8080' for 'listen' in [http]: expected IP:PORT, e.g. '127.0.0.1:8080' or '[::1]:8080'",
        ])
        #expect(TestSupport.problems("[general]\nexternal_address = not a host!") == [
            "sip.conf:2: bad value 'not a host!' for 'external_address' in [general]: expected an IP address or host name",
        ])
        #expect(TestSupport.problems("[general]\nlocal_networks = 10.0.0.0/8, 192.168.0.0/33") == [
            "sip.conf:2: bad value '192.168.0.0/33' for 'local_networks' in [general]: expected a CIDR block such as '192.168.0.0/16' or 'fd00::/8'",
        ])
        #expect(TestSupport.problems("[general]\nlisten = udp:0.0.0.0:5060, udp:0.0.0.0:5060, tls:0.0.0.0:5061, tcp:0.0.0.0:5061\ntls_certificate = /dev/null\ntls_private_key = /dev/null").contains(
            "sip.conf:2: duplicate listener 'udp:0.0.0.0:5060' in [general]"))
    }

    @Test("bad ports, ranges, numbers, booleans and choices say what was expected")
    func badScalars() {
        let text = """
            [general]
            rtp_port_range = 10001-20000
            nonce_lifetime = abc
            [media]
            opus_fec = maybe
            dtmf = inf
            ptime = 25
            [pbx]
            type = trunk
            host = 192.0.2.10
            port = 70000
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:2: bad value '10001-20000' for 'rtp_port_range' in [general]: expected START-END with an even START below END, both within 1024-65535, e.g. '10000-20000'",
            "sip.conf:3: bad value 'abc' for 'nonce_lifetime' in [general]: expected a whole number of seconds from 1 to 86400",
            "sip.conf:5: bad value 'maybe' for 'opus_fec' in [media]: expected a boolean (yes/no, true/false, on/off, 1/0)",
            "sip.conf:6: bad value 'inf' for 'dtmf' in [media]: expected one of rfc4733, info; did you mean 'info'?",
            "sip.conf:7: bad value '25' for 'ptime' in [media]: expected one of 10, 20, 30, 40 (milliseconds)",
            "sip.conf:11: bad value '70000' for 'port' in [pbx]: expected an integer from 1 to 65535",
        ])
    }

    @Test("values that depend on each other are checked together")
    func relatedValues() {
        #expect(TestSupport.problems("[general]\nsession_timer = 60") == [
            "sip.conf:2: session_timer (60 s) must be 0 or at least min_se (90 s) in [general]",
        ])
        #expect(TestSupport.problems("[media]\njitter_buffer_min = 300") == [
            "sip.conf:2: jitter_buffer_min (300 ms) must not exceed jitter_buffer_max (200 ms) in [media]",
        ])
        #expect(TestSupport.problems("[general]\nregistration_max_expires = 300") == [
            "sip.conf:2: registration_default_expires (600 s) must be between registration_min_expires (60 s) and registration_max_expires (300 s) in [general]",
        ])
        #expect(TestSupport.problems("[dialplan]\nnational_prefix = 00") == [
            "sip.conf:2: national_prefix and international_prefix must differ in [dialplan] (both '00')",
        ])
    }

    @Test("duplicate sections and duplicate non-repeatable keys")
    func duplicates() {
        let text = """
            [alice]
            type = user
            secret = one
            secret = two
            allow = +44*
            allow = +33*
            [alice]
            type = user
            secret = three
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:4: duplicate key 'secret' in [alice]; it is already set on line 3",
            "sip.conf:7: duplicate section [alice]; it is already defined on line 1",
        ])
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = x\n[alice]\ntype = trunk\nhost = 10.0.0.1") == [
            "sip.conf:4: duplicate section [alice]; it is already defined on line 1",
        ])
    }

    @Test("TLS files are checked at load, with the OS reason")
    func tlsFiles() {
        #expect(TestSupport.problems("[general]\nlisten = tls:0.0.0.0:5061\ntls_certificate = /nonexistent/cert.pem\ntls_private_key = key.pem") == [
            "sip.conf:3: cannot read tls_certificate '/nonexistent/cert.pem': No such file or directory",
            "sip.conf:4: cannot read tls_private_key '/nonexistent/key.pem': No such file or directory",
        ])
        #expect(TestSupport.problems("[general]\nlisten = tls:0.0.0.0:5061\ntls_certificate = /\ntls_private_key = /dev/null") == [
            "sip.conf:3: cannot read tls_certificate '/': Is a directory",
            "sip.conf:4: cannot read tls_private_key '/dev/null': not a regular file",
        ])
        #expect(TestSupport.problems("[general]\nlisten = tls:0.0.0.0:5061") == [
            "sip.conf:1: missing required key 'tls_certificate' in [general] (required by a tls listener)",
            "sip.conf:1: missing required key 'tls_private_key' in [general] (required by a tls listener)",
        ])
    }

    @Test("readable TLS files are accepted and resolved against the file's directory")
    func readableTLSFiles() throws {
        let text = "[general]\nlisten = tls:0.0.0.0:5061\ntls_certificate = cert.pem\ntls_private_key = key.pem"
        let config = try TestSupport.parse(text, baseDirectory: TestSupport.fixture(""))
        #expect(config.general.tls?.certificatePath == TestSupport.fixture("cert.pem"))
        #expect(config.general.tls?.privateKeyPath == TestSupport.fixture("key.pem"))
    }

    @Test("references to unknown users, groups and trunks")
    func unknownReferences() {
        let text = """
            [alice]
            type = user
            secret = x
            [sales]
            type = ringgroup
            members = alice, alce, carol
            [inbound]
            target = group:uk
            route = +44* user:sales
            route = +33* trunk:alice
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:6: unknown user 'alce' in 'members' of [sales]; did you mean 'alice'?",
            "sip.conf:6: unknown user 'carol' in 'members' of [sales]",
            "sip.conf:8: unknown ring group 'uk' in 'target' of [inbound]",
            "sip.conf:9: 'sales' in 'route' of [inbound] is a ring group, not a user",
            "sip.conf:10: 'alice' in 'route' of [inbound] is a user, not a trunk",
        ])
    }

    @Test("a trunk that cannot be recognised, and half-given credentials")
    func trunkRecognition() {
        #expect(TestSupport.problems("[carrier]\ntype = trunk\nhost = sip.example.com") == [
            "sip.conf:1: trunk [carrier] cannot be recognised: host 'sip.example.com' is not an IP address, so set 'match' or 'username' and 'secret'",
        ])
        #expect(TestSupport.problems("[carrier]\ntype = trunk\nhost = sip.example.com\nusername = pbx\nremote_secret = x") == [
            "sip.conf:4: 'username' requires 'secret' in [carrier]",
            "sip.conf:5: 'remote_secret' requires 'remote_username' in [carrier]",
        ])
    }

    @Test("bad values never echo secrets")
    func secretsAreNotEchoed() {
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = \"\"") == [
            "sip.conf:3: empty value for 'secret' in [alice]: expected a non-empty secret",
        ])
    }

    @Test("several problems in one file are all reported, in line order")
    func severalProblemsFromFixture() throws {
        let path = TestSupport.fixture("several-problems.conf")
        do {
            _ = try ConfigLoader.load(path: path, environment: [:])
            Issue.record("expected a ConfigError")
        } catch {
            #expect(error.problems.allSatisfy { $0.file == path })
            #expect(error.problems.map { "\($0.line): \($0.message)" } == [
                "3: unknown key 'rtp_port_rang' in [general]; did you mean 'rtp_port_range'?",
                "4: bad value 'udp:0.0.0.0' for 'listen' in [general]: expected TRANSPORT:IP:PORT with transport udp, tcp or tls, e.g. 'udp:0.0.0.0:5060' or 'tls:[::]:5061'",
                "7: bad value 'often' for 'opus_fec' in [media]: expected a boolean (yes/no, true/false, on/off, 1/0)",
                "9: missing required key 'secret' in [alice]",
                "11: bad value '44*' for 'allow' in [alice]: expected a number pattern such as '+44*', '+*' or '+14085551234'",
                "14: unknown section type 'grup' in [sales]: expected one of user, trunk, ringgroup, number",
                "16: undefined environment variable 'WA_TOKEN' in 'access_token'",
                "18: unknown user 'carol' in 'target' of [inbound]",
                "19: duplicate section [alice]; it is already defined on line 9",
            ])
            #expect(error.description.split(separator: "\n").count == 9)
            #expect(error.description.hasPrefix("\(path):3: unknown key"))
        }
    }
}
