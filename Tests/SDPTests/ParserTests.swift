import SDP
import Testing

/// The RFC 8866 parser and serializer: structure, leniency and typed errors.
@Suite("Parser and serializer")
struct ParserTests {
    /// The smallest valid session description.
    static let minimal = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"

    /// Session-level fields are modelled.
    @Test("session-level fields are modelled")
    func sessionFields() throws {
        let text = """
        v=0
        o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1
        s=Call to John Smith
        i=SDP Offer #1
        u=http://www.jdoe.example.com/home.html
        e=Jane Doe <jane@jdoe.example.com>
        p=+1 617 555-6011
        c=IN IP4 198.51.100.1
        b=AS:128
        t=0 0
        r=7d 1h 0 25h
        z=2882844526 -1h
        a=recvonly
        m=audio 49170 RTP/AVP 0
        i=voice
        b=TIAS:64000
        m=video 51372/2 RTP/AVP 99
        c=IN IP6 2001:db8::2
        a=rtpmap:99 h263-1998/90000
        """
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.origin.username == "jdoe")
        #expect(sdp.origin.sessionVersion == "3724394405")
        #expect(sdp.sessionName == "Call to John Smith")
        #expect(sdp.information == "SDP Offer #1")
        #expect(sdp.emails.count == 1 && sdp.phones.count == 1)
        #expect(sdp.connection?.address == "198.51.100.1")
        #expect(sdp.bandwidths == [SessionDescription.Bandwidth(type: "AS", value: 128)])
        #expect(sdp.timings.first?.repeats == ["7d 1h 0 25h"])
        #expect(sdp.timeZones == "2882844526 -1h")
        #expect(sdp.direction == .recvonly)
        #expect(sdp.media.count == 2)
        #expect(sdp.media[0].information == "voice")
        #expect(sdp.effectiveDirection(of: sdp.media[0]) == .recvonly)
        #expect(sdp.media[1].portCount == 2)
        #expect(sdp.connection(of: sdp.media[1])?.addressType == "IP6")
        #expect(sdp.connection(of: sdp.media[0])?.address == "198.51.100.1")
        let again = try SessionDescription(parsing: sdp.serialized())
        #expect(again == sdp)
        #expect(sdp.serialized().split(separator: "\r\n").count == text.split(separator: "\n").count)
    }

    /// Unknown attributes keep their order and exact text.
    @Test("unknown attributes keep their order and exact text")
    func unknownAttributes() throws {
        let text = Self.minimal + "a=x-foo:bar baz\r\na=x-flag\r\na=x-empty:\r\nm=audio 1 RTP/AVP 0\r\na=zzz:1\r\na=rtpmap:0 PCMU/8000\r\na=aaa\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.attributes.map(\.name) == ["x-foo", "x-flag", "x-empty"])
        #expect(sdp.attributes[1].value == nil && sdp.attributes[2].value == "")
        #expect(sdp.media[0].attributes.map(\.name) == ["zzz", "rtpmap", "aaa"])
        #expect(sdp.serialized() == text)
    }

    /// Lenient input: LF only, trailing blanks, blank lines, runs of spaces, no t=.
    @Test("lenient input: LF only, trailing blanks, blank lines, runs of spaces, no t=")
    func lenient() throws {
        let text = "v=0\no=-  7 7 IN IP4 192.0.2.1 \n\ns=-\t\nc=IN  IP4 192.0.2.1\nm=audio  5004 RTP/AVP  0\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.origin.sessionID == "7")
        #expect(sdp.timings.isEmpty)
        #expect(sdp.media[0].port == 5004 && sdp.media[0].formats == ["0"])
        #expect(sdp.serialized().hasSuffix("m=audio 5004 RTP/AVP 0\r\n"))
    }

    /// Inputs that must fail, the error kind, and the line it names.
    static let failures: [(text: String, kind: SDPError.Kind, line: Int?)] = [
        ("", .empty, nil),
        ("\r\n\r\n", .empty, nil),
        ("o=- 1 1 IN IP4 a\r\n", .missingField, 1),
        ("v=1\r\n", .invalidField, 1),
        ("v=0\r\ns=-\r\n", .missingField, 2),
        ("v=0\r\no=- 1 1 IN IP4 a\r\n", .missingField, 2),
        ("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", .invalidField, 2),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nhello\r\n", .malformedLine, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nX=1\r\n", .malformedLine, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nq=1\r\n", .unknownLineType, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nb=AS:x\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nr=1d\r\n", .unexpectedLine, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 1/0 RTP/AVP 0\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 1\r\n", .invalidField, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\ns=again\r\n", .unexpectedLine, 5),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\no=- 2 2 IN IP4 a\r\n", .unexpectedLine, 4),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\na=:x\r\n", .invalidField, 4),
    ]

    /// Malformed input fails with a typed error and its line.
    @Test("malformed input fails with a typed error and its line", arguments: failures)
    func failure(text: String, kind: SDPError.Kind, line: Int?) {
        #expect {
            _ = try SessionDescription(parsing: text)
        } throws: { error in
            guard let error = error as? SDPError else { return false }
            return error.kind == kind && error.line == line && !error.reason.isEmpty
        }
    }

    /// Size limits refuse absurd inputs.
    @Test("size limits refuse absurd inputs")
    func limits() {
        let parser = SDPParser(limits: SDPParser.Limits(maxBytes: 100, maxLines: 5))
        #expect(throws: SDPError.self) { try parser.parse(Array(repeating: UInt8(ascii: "a"), count: 101)) }
        let lines = Self.minimal + "a=x\r\na=y\r\n"
        #expect { try parser.parse(Array(lines.utf8)) } throws: { ($0 as? SDPError)?.kind == .tooLarge }
    }

    /// Error descriptions name the line.
    @Test("error descriptions name the line")
    func errorDescription() {
        let error = SDPError(.invalidField, line: 4, "t= must be two decimal times")
        #expect(error.description == "SDP line 4: invalidField: t= must be two decimal times")
    }

    /// Editing helpers.
    @Test("editing helpers")
    func editing() throws {
        var sdp = try SessionDescription(parsing: Self.minimal + "m=audio 1 RTP/AVP 0\r\na=sendrecv\r\na=ptime:20\r\na=inactive\r\n")
        sdp.media[0].setDirection(.sendonly)
        #expect(sdp.media[0].attributes.map(\.name) == ["sendonly", "ptime"])
        sdp.media[0].attributes.set("ptime", "30")
        sdp.media[0].attributes.set("rtcp-mux")
        #expect(sdp.media[0].ptime == 30 && sdp.media[0].rtcpMux)
        sdp.origin = sdp.origin.nextVersion()
        #expect(sdp.origin.sessionVersion == "2")
        #expect(SessionDescription.Origin(sessionID: 1, sessionVersion: UInt64.max, address: "::1").nextVersion().sessionVersion == "1")
    }
}
