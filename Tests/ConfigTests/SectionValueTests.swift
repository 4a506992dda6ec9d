// Typed values of the reserved sections: defaults, accepted forms, refusals.

import Testing
@testable import Config

@Suite("section values")
struct SectionValueTests {
    @Test("booleans accept yes/no, true/false, on/off, 1/0", arguments: [
        ("yes", true), ("no", false), ("TRUE", true), ("false", false), ("On", true), ("off", false), ("1", true), ("0", false),
    ])
    func booleans(text: String, value: Bool) throws {
        #expect(try TestSupport.parse("[media]\nsymmetric_rtp = \(text)").media.symmetricRTP == value)
    }

    @Test("[general] values and 0-means-off settings")
    func general() throws {
        let text = """
            [general]
            external_address = 203.0.113.9
            local_networks = 10.0.0.0/8
            local_networks = fd00::/8
            echo_extension =
            auth_max_failures = 0
            options_keepalive = 30
            session_timer = 0
            max_calls = 12
            early_media = ringback
            """
        let general = try TestSupport.parse(text).general
        #expect(general.externalAddress == "203.0.113.9")
        #expect(general.isLocal("10.1.2.3") && general.isLocal("fd00::1") && !general.isLocal("203.0.113.9"))
        #expect(general.echoExtension == nil)
        #expect(general.authMaxFailures == nil)
        #expect(general.optionsKeepalive == .seconds(30))
        #expect(general.sessionTimer == nil)
        #expect(general.maxCalls == 12)
        #expect(general.earlyMedia == .ringback)
        #expect(general.listeners == GeneralConfig.defaults.listeners)
        #expect(try TestSupport.parse("").general.echoExtension == "*43")
    }

    @Test("[media] codecs: order kept, aliases accepted, repeats and unknown names refused")
    func codecs() throws {
        let media = try TestSupport.parse("[media]\ncodecs = opus, ALAW, ulaw\nptime = 40").media
        #expect(media.codecs == [.opus, .pcma, .pcmu])
        #expect(media.ptimeMilliseconds == 40)
        #expect(TestSupport.problems("[media]\ncodecs = pcmu, g729, pcmu, opsu") == [
            "sip.conf:2: bad value 'g729' for 'codecs' in [media]: expected one of pcmu, pcma, g722, opus (or ulaw, alaw); did you mean 'g722'?",
            "sip.conf:2: codec 'pcmu' is listed twice in 'codecs' of [media]",
            "sip.conf:2: bad value 'opsu' for 'codecs' in [media]: expected one of pcmu, pcma, g722, opus (or ulaw, alaw); did you mean 'opus'?",
        ])
    }

    @Test("[whatsapp] URL, version, numbers")
    func whatsapp() throws {
        let text = """
            [whatsapp]
            graph_url = http://127.0.0.1:9090/
            graph_version = v22.0
            business_number = +447700900123
            send_permission_request = yes
            dtls_role = server
            """
        let whatsapp = try TestSupport.parse(text).whatsapp
        #expect(whatsapp.graphURL == "http://127.0.0.1:9090")
        #expect(whatsapp.graphVersion == "v22.0")
        #expect(whatsapp.businessNumber == "+447700900123")
        #expect(whatsapp.phoneNumberID == WhatsAppConfig.sandboxPhoneNumberID)
        #expect(whatsapp.accessToken.reveal() == WhatsAppConfig.sandboxAccessToken)
        #expect(whatsapp.sendPermissionRequest && whatsapp.dtlsRole == .server)
        let bad = """
            [whatsapp]
            graph_url = ftp://graph.facebook.com
            graph_version = 21.0
            business_number = 447700900123
            phone_number_id = abc
            mode = clod
            """
        #expect(TestSupport.problems(bad) == [
            "sip.conf:2: bad value 'ftp://graph.facebook.com' for 'graph_url' in [whatsapp]: expected an http:// or https:// URL such as 'https://graph.facebook.com'",
            "sip.conf:3: bad value '21.0' for 'graph_version' in [whatsapp]: expected a Graph API version such as 'v26.0'",
            "sip.conf:4: bad value '447700900123' for 'business_number' in [whatsapp]: expected an E.164 number with '+' and 7-15 digits, e.g. '+15551234567'",
            "sip.conf:5: bad value 'abc' for 'phone_number_id' in [whatsapp]: expected the numeric phone number id from the WhatsApp Manager",
            "sip.conf:6: bad value 'clod' for 'mode' in [whatsapp]: expected one of sandbox, cloud; did you mean 'cloud'?",
        ])
    }

    @Test("[http] listen and webhook path")
    func http() throws {
        let http = try TestSupport.parse("[http]\nlisten = [::1]:9000\nwebhook_path = /hook").http
        #expect(http.listen == SocketAddressSpec(host: "::1", port: 9000))
        #expect(http.webhookPath == "/hook")
        #expect(TestSupport.problems("[http]\nwebhook_path = hook") == [
            "sip.conf:2: bad value 'hook' for 'webhook_path' in [http]: expected a path starting with '/', without spaces, '?' or '#'",
        ])
    }

    @Test("[storage] retention 0 keeps records forever")
    func storage() throws {
        #expect(try TestSupport.parse("[storage]\ncdr_retention_days = 0").storage.cdrRetentionDays == nil)
        #expect(try TestSupport.parse("").storage.cdrRetentionDays == 90)
    }

    @Test("users: caller ids, limits and SRTP")
    func users() throws {
        let text = """
            [alice]
            type = user
            secret = x
            callerid = Alice Smith <+441234>
            srtp = no
            nat = no
            max_calls = 5
            [bob]
            type = user
            secret = y
            callerid = 1002
            srtp = required
            """
        let config = try TestSupport.parse(text)
        let alice = try #require(config.user(named: "alice"))
        #expect(alice.callerID == CallerID(name: "Alice Smith", number: "+441234"))
        #expect(alice.srtp == .disabled && !alice.nat && alice.maxCalls == 5)
        let bob = try #require(config.user(named: "bob"))
        #expect(bob.callerID == CallerID(name: nil, number: "1002"))
        #expect(bob.srtp == .required && bob.nat && bob.maxCalls == 2)
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = x\ncallerid = Alice <1001") == [
            "sip.conf:4: bad value 'Alice <1001' for 'callerid' in [alice]: expected a caller id such as '\"Alice\" <1001>'",
        ])
    }

    @Test("ring groups: strategy, timeout and duplicate members")
    func ringGroups() throws {
        let text = TestSupport.minimal + "\n[sales]\ntype = ringgroup\nmembers = alice\nstrategy = sequential\nmember_timeout = 20"
        let group = try #require(try TestSupport.parse(text).ringGroup(named: "sales"))
        #expect(group.strategy == .sequential && group.memberTimeout == .seconds(20) && group.members == ["alice"])
        #expect(TestSupport.problems(TestSupport.minimal + "\n[sales]\ntype = ringgroup\nmembers = alice, alice") == [
            "sip.conf:10: user 'alice' is listed twice in 'members' of [sales]",
        ])
    }

    @Test("hostile values are refused without crashing")
    func hostileValues() {
        let text = """
            [general]
            rtp_port_range = 99999999999999999999-1
            max_calls = 99999999999999999999
            rtp_port_range = 20000-10000
            [media]
            opus_bitrate = -1
            """
        let problems = TestSupport.problems(text)
        #expect(problems.count == 4)
        #expect(problems[2] == "sip.conf:4: duplicate key 'rtp_port_range' in [general]; it is already set on line 2")
    }
}
