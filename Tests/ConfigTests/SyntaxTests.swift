// The INI syntax: comments, escapes, quoting, `=>`, line endings and `${VAR}`.

import Testing
@testable import Config

@Suite("sip.conf syntax")
struct SyntaxTests {
    @Test("${VAR} expands from the injected environment; $$ is a literal $")
    func environmentExpansion() throws {
        let text = """
            [alice]
            type = user
            secret = ${ALICE_SECRET}$$x$y
            callerid = "${NAME}" <1001>
            """
        let config = try TestSupport.parse(text, environment: ["ALICE_SECRET": "s3cr3t", "NAME": "Alice A"])
        #expect(config.user(named: "alice")?.secret.reveal() == "s3cr3t$x$y")
        #expect(config.user(named: "alice")?.callerID?.name == "Alice A")
    }

    @Test("expanded text is not expanded again")
    func expansionIsNotRecursive() throws {
        let text = "[alice]\ntype = user\nsecret = ${A}"
        let config = try TestSupport.parse(text, environment: ["A": "${B};x"])
        #expect(config.user(named: "alice")?.secret.reveal() == "${B};x")
    }

    @Test("a missing variable is an error naming it; other problems are still reported")
    func missingVariable() {
        let text = """
            [alice]
            type = user
            secret = ${ALICE_SECRET}
            max_calls = lots
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:3: undefined environment variable 'ALICE_SECRET' in 'secret'",
            "sip.conf:4: bad value 'lots' for 'max_calls' in [alice]: expected an integer from 1 to 1000",
        ])
    }

    @Test("malformed ${ forms are errors")
    func malformedExpansion() {
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = ${OPEN") == [
            "sip.conf:3: unterminated '${' in 'secret'",
        ])
        #expect(TestSupport.problems("[alice]\ntype = user\nsecret = ${9X}") == [
            "sip.conf:3: bad environment variable name '${9X}' in 'secret'",
        ])
    }

    @Test("; starts a comment anywhere; \\; is a literal semicolon")
    func comments() throws {
        let text = """
            ; a comment line
              ;indented comment
            [alice] ; trailing comment on a header
            type = user ; trailing comment
            secret = pass\\;word ; the rest is a comment
            """
        let config = try TestSupport.parse(text)
        #expect(config.user(named: "alice")?.secret.reveal() == "pass;word")
    }

    @Test("key => value is accepted like key = value")
    func asteriskArrow() throws {
        let config = try TestSupport.parse("[alice]\ntype => user\nsecret=>pw\nmax_calls =>  4")
        #expect(config.user(named: "alice")?.secret.reveal() == "pw")
        #expect(config.user(named: "alice")?.maxCalls == 4)
    }

    @Test("CRLF, CR and a UTF-8 byte order mark are accepted; line numbers stay right")
    func lineEndings() throws {
        let crlf = "\u{FEFF}[general]\r\nlisten = udp:127.0.0.1:5060\r\n\r\n[alice]\r\ntype = user\r\nsecret = pw\r\n"
        let config = try TestSupport.parse(crlf)
        #expect(config.user(named: "alice")?.secret.reveal() == "pw")
        #expect(config.general.listeners.count == 1)
        #expect(TestSupport.problems("[alice]\r\ntype = user\r\n\r\nmax_calls = x\r\nsecret = pw") == [
            "sip.conf:4: bad value 'x' for 'max_calls' in [alice]: expected an integer from 1 to 1000",
        ])
        #expect(TestSupport.problems("[alice]\rtype = user\rsecret = pw\rnat = 7") == [
            "sip.conf:4: bad value '7' for 'nat' in [alice]: expected a boolean (yes/no, true/false, on/off, 1/0)",
        ])
    }

    @Test("double quotes keep surrounding spaces; inner quotes stay")
    func quotedValues() throws {
        let text = """
            [alice]
            type = user
            secret = "  spaced  "
            callerid = "Alice Smith" <1001>
            [whatsapp]
            permission_request_text = "  Please allow calls  "
            """
        let config = try TestSupport.parse(text)
        #expect(config.user(named: "alice")?.secret.reveal() == "  spaced  ")
        #expect(config.user(named: "alice")?.callerID == CallerID(name: "Alice Smith", number: "1001"))
        #expect(config.whatsapp.permissionRequestText == "  Please allow calls  ")
    }

    @Test("keys, booleans and enum values are case-insensitive; whitespace is trimmed")
    func caseAndWhitespace() throws {
        let text = "[media]\n   OPUS_FEC   =   Off   \nDTMF = INFO\n[alice]\nType = User\nSecret = x"
        let config = try TestSupport.parse(text)
        #expect(config.media.opusFEC == false)
        #expect(config.media.dtmf == .info)
        #expect(config.users.count == 1)
    }

    @Test("syntax errors are reported with their lines")
    func syntaxErrors() {
        let text = """
            stray = 1
            [general
            [general] extra
            [bad name]
            #include other.conf
            just words
             = value
            """
        #expect(TestSupport.problems(text) == [
            "sip.conf:1: key 'stray' is outside any section; add a [section] header above it",
            "sip.conf:2: section header '[general' has no closing ']'",
            "sip.conf:3: unexpected text 'extra' after section header [general] (templates are not supported)",
            "sip.conf:4: bad section name [bad name]: use letters, digits and _ - . + only",
            "sip.conf:5: directive '#include' is not supported; comments start with ';'",
            "sip.conf:6: expected 'key = value' or '[section]', found 'just words'",
            "sip.conf:7: missing key before '=' in '= value'",
        ])
    }

    @Test("relative paths resolve against the configuration file's directory")
    func relativePaths() throws {
        let text = "[storage]\ndatabase = data/cdr.sqlite\n[media]\nrecording = yes\nrecording_path = /var/rec"
        let config = try TestSupport.parse(text, baseDirectory: "/etc/wagate/")
        #expect(config.storage.databasePath == "/etc/wagate/data/cdr.sqlite")
        #expect(config.media.recordingDirectory == "/var/rec")
        let fromDot = try TestSupport.parse("[storage]\ndatabase = x.db", baseDirectory: ".")
        #expect(fromDot.storage.databasePath == "x.db")
    }
}
