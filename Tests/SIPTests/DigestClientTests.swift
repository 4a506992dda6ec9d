import Testing
@testable import SIP

/// The client side of Digest: reading a server's challenge and writing our
/// answer, checked against the RFCs' own examples, and hostile challenge text.
@Suite struct DigestClientTests {
    private static let rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    private static let rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
    private static let rfc7616ClientNonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

    private func rfc7616(_ algorithm: String) throws -> DigestAnswer {
        let text = """
            Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=\(algorithm), \
            nonce="\(Self.rfc7616Nonce)", opaque="\(Self.rfc7616Opaque)"
            """
        let challenge = try DigestChallenge.parse(text).get()
        return DigestAnswer(challenge: challenge, method: "GET", uri: "/dir/index.html", username: "Mufasa",
                            clientNonce: Self.rfc7616ClientNonce, nonceCount: 1)
    }

    /// RFC 7616 §3.9.1, both algorithms.
    @Test func rfc7616ExamplesGiveTheRFCsResponses() throws {
        #expect(try rfc7616("MD5").response(password: "Circle of Life") == "8ca523f5e9506fed4657c9700eebdbec")
        #expect(try rfc7616("SHA-256").response(password: "Circle of Life")
            == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    }

    /// RFC 2617 §3.5: no algorithm means MD5.
    @Test func rfc2617ExampleGivesTheRFCsResponse() throws {
        let challenge = try DigestChallenge.parse("""
            Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
            opaque="5ccc069c403ebaf9f0171e9517f40e41"
            """).get()
        #expect(challenge.algorithm == .md5 && !challenge.session && challenge.qopAuth)
        let answer = DigestAnswer(challenge: challenge, method: "GET", uri: "/dir/index.html", username: "Mufasa",
                                  clientNonce: "0a4f113b", nonceCount: 1)
        #expect(answer.response(password: "Circle Of Life") == "6629fae49393a05397450978507c4ef1")
    }

    /// The header carries every parameter, the uri exactly as given, nc as 8 hex digits.
    @Test func theHeaderNamesEverythingTheServerChecks() throws {
        let challenge = try DigestChallenge.parse(
            #"Digest realm="wa.meta.vc", nonce="abc", algorithm=SHA-256-sess, qop="auth", opaque="o\"q""#).get()
        let uri = "sip:+447700900123@wa.meta.vc;transport=tls"
        let answer = DigestAnswer(challenge: challenge, method: "INVITE", uri: uri, username: "15550001111",
                                  clientNonce: "0123456789abcdef", nonceCount: 26)
        let header = try #require(answer.header(password: "pw"))
        #expect(header.hasPrefix("Digest username=\"15550001111\", realm=\"wa.meta.vc\", nonce=\"abc\""))
        #expect(header.contains("uri=\"\(uri)\""))
        #expect(header.contains("algorithm=SHA-256-sess") && header.contains("qop=auth") && header.contains("nc=0000001a"))
        #expect(header.contains(#"opaque="o\"q""#) && header.contains("cnonce=\"0123456789abcdef\""))
        #expect(header.contains("response=\"\(answer.response(password: "pw"))\""))
    }

    /// `-sess`: HA1 = H(H(user:realm:pass):nonce:cnonce) (RFC 7616 §3.4.2).
    @Test func sessionVariantHashesTheNonces() throws {
        let challenge = try DigestChallenge.parse(
            #"Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", algorithm=SHA-256-sess, qop=auth"#).get()
        let answer = DigestAnswer(challenge: challenge, method: "INVITE", uri: "sip:+447700900123@wa.meta.vc;transport=tls",
                                  username: "Mufasa", clientNonce: "0a4f113b", nonceCount: 2)
        #expect(answer.response(password: "Circle Of Life") == "3c0d371ad59a88bd9ac2b2d54bddd58f2ef7ebb8d9f3a4d0c911c130349d1f26")
    }

    /// Without qop (RFC 2069 servers): no cnonce, nc or qop in the answer.
    @Test func challengeWithoutQopIsAnsweredTheOldWay() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", nonce="n""#).get()
        let header = try #require(DigestAnswer(challenge: challenge, method: "INVITE", uri: "sip:a@b", username: "u",
                                               clientNonce: "c", nonceCount: 1).header(password: "p"))
        #expect(!header.contains("cnonce") && !header.contains("qop") && !header.contains("nc="))
    }

    /// SHA-256 wins over MD5 in either order; a refused one does not hide a good one.
    @Test func theStrongestAnswerableChallengeIsChosen() throws {
        let md5 = DigestChallenge.parse(#"Digest realm="r", nonce="1", algorithm=MD5, qop="auth""#)
        let sha = DigestChallenge.parse(#"Digest realm="r", nonce="2", algorithm=SHA-256, qop="auth""#)
        let odd = DigestChallenge.parse(#"Digest realm="r", nonce="3", algorithm=SHA-512-256, qop="auth""#)
        #expect(try DigestChallenge.strongest([md5, sha]).get().nonce == "2")
        #expect(try DigestChallenge.strongest([odd, sha, md5]).get().nonce == "2")
        #expect(try DigestChallenge.strongest([odd, md5]).get().nonce == "1")
        #expect(DigestChallenge.strongest([odd]) == .failure(.unsupportedAlgorithm("SHA-512-256")))
    }

    /// Sofia's split parameters read the same as the header text.
    @Test func sofiaParametersReadLikeTheHeader() throws {
        let challenge = try DigestChallenge.parse(parameters: [
            "realm=\"wa.meta.vc\"", "nonce=\"n1\"", "algorithm=SHA-256", "qop=\"auth\"", "stale=TRUE", "userhash=true",
        ]).get()
        #expect(challenge.realm == "wa.meta.vc" && challenge.algorithm == .sha256 && challenge.stale && challenge.qopAuth)
    }

    /// Hostile or unusable challenge text is refused with a reason, never a trap.
    @Test(arguments: [
        ("Basic realm=\"r\"", DigestChallenge.Refusal.notDigest),
        ("Digest realm=\"r, nonce=\"n\"", .malformed("text after realm")),
        ("Digest realm=\"r", .malformed("bad value of realm")),
        ("Digest realm=\"r\", nonce=\"n\", nonce=\"m\"", .malformed("nonce given twice")),
        ("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1", .unsupportedAlgorithm("SHA-1")),
        ("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", .unsupportedQop("auth-int")),
        ("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess", .unsupportedQop("none with MD5-sess")),
        ("Digest realm=\"r\"", .missing("nonce")),
        ("Digest nonce=\"n\"", .missing("realm")),
        ("Digest realm=\"r\" nonce=\"n\"", .malformed("text after realm")),
        ("Digest realm=\"r\u{0}\", nonce=\"n\"", .malformed("bad value of realm")),
        ("Digest realm=\"r\", nonce=n\r\nX: y", .malformed("text after nonce")),
        ("Digest realm", .malformed("realm without =")),
        ("Digest =x", .malformed("parameter name expected")),
    ])
    func hostileChallengesAreRefused(text: String, refusal: DigestChallenge.Refusal) {
        #expect(DigestChallenge.parse(text) == .failure(refusal))
    }

    @Test func overlongChallengesAreRefused() {
        let long = "Digest realm=\"" + String(repeating: "a", count: 10_000) + "\", nonce=\"n\""
        #expect(DigestChallenge.parse(long) == .failure(.malformed("too long")))
        #expect(DigestChallenge.parse(parameters: Array(repeating: "x=\"" + String(repeating: "b", count: 100) + "\"", count: 100))
            == .failure(.malformed("too long")))
    }

    /// A user name with a line break never becomes header text.
    @Test func unwritableValuesGiveNoHeader() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop=auth"#).get()
        let answer = DigestAnswer(challenge: challenge, method: "INVITE", uri: "sip:a@b", username: "u\r\nX: y",
                                  clientNonce: "c", nonceCount: 1)
        #expect(answer.header(password: "p") == nil)
    }

    /// Credentials survive sofia's colon-separated NUTAG_AUTH text.
    @Test func credentialsTagKeepsColonsAndPercents() {
        let tag = SofiaDigestPlugin.credentialsTag(username: "a:b", password: "p%:w:é")
        #expect(tag == "Digest:\"*\":a%3Ab:p%25%3Aw%3A\u{e9}")
        let parts = tag.split(separator: ":", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(SofiaDigestPlugin.decode(String(parts[2])) == "a:b")
        #expect(SofiaDigestPlugin.decode(String(parts[3])) == "p%:w:é")
        #expect(DigestAnswer.makeClientNonce().count == 32)
    }
}
