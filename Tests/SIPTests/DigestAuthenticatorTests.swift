import Testing
@testable import SIP

@Suite struct DigestAuthenticatorTests {
    let auth = DigestAuthenticator(realm: "wagate", nonceLifetime: 300, offered: [.md5, .sha256])

    private func credentials(nonce: String, password: String, algorithm: DigestAlgorithm = .md5,
                             method: String = "REGISTER") -> DigestCredentials {
        var parameters = ["username": "alice", "realm": "wagate", "nonce": nonce, "uri": "sip:wagate",
                          "response": "", "algorithm": algorithm.rawValue, "qop": "auth", "nc": "00000001", "cnonce": "abc"]
        var c = DigestCredentials(parameters: parameters)!
        c.response = DigestAuthenticator.response(credentials: c, method: method, password: password)
        parameters["response"] = c.response
        return c
    }

    @Test func rfc2617ExampleResponse() {
        // RFC 2617 §3.5 example (HTTP, but the same computation).
        let c = DigestCredentials(parameters: [
            "username": "Mufasa", "realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "uri": "/dir/index.html", "response": "x", "qop": "auth", "nc": "00000001", "cnonce": "0a4f113b",
        ])!
        #expect(DigestAuthenticator.response(credentials: c, method: "GET", password: "Circle Of Life")
            == "6629fae49393a05397450978507c4ef1")
    }

    @Test(arguments: DigestAlgorithm.allCases)
    func acceptsTheRightPasswordAndRejectsAWrongOne(_ algorithm: DigestAlgorithm) {
        let nonce = auth.makeNonce(now: 1000)
        #expect(auth.verify(credentials(nonce: nonce, password: "s3cret", algorithm: algorithm), method: "REGISTER", password: "s3cret", now: 1010) == .accepted)
        #expect(auth.verify(credentials(nonce: nonce, password: "wrong", algorithm: algorithm), method: "REGISTER", password: "s3cret", now: 1010) == .rejected)
    }

    @Test func expiredNonceIsStaleOnlyWithTheRightPassword() {
        let nonce = auth.makeNonce(now: 1000)
        #expect(auth.verify(credentials(nonce: nonce, password: "s3cret"), method: "REGISTER", password: "s3cret", now: 1400) == .stale)
        #expect(auth.verify(credentials(nonce: nonce, password: "nope"), method: "REGISTER", password: "s3cret", now: 1400) == .rejected)
    }

    @Test func forgedOrForeignNonceIsRejected() {
        let other = DigestAuthenticator(realm: "wagate", nonceLifetime: 300)
        let foreign = other.makeNonce(now: 1000)
        #expect(auth.verify(credentials(nonce: foreign, password: "s3cret"), method: "REGISTER", password: "s3cret", now: 1001) == .rejected)
        #expect(auth.verify(credentials(nonce: "3e8.1.abcdef", password: "s3cret"), method: "REGISTER", password: "s3cret", now: 1001) == .rejected)
    }

    @Test func challengesOfferMD5ThenSHA256WithQopAuth() {
        let values = auth.challenges(now: 1000, stale: true)
        #expect(values.count == 2)
        #expect(values[0].contains("algorithm=MD5") && values[1].contains("algorithm=SHA-256"))
        #expect(values.allSatisfy { $0.contains("qop=\"auth\"") && $0.contains("stale=true") && $0.contains("realm=\"wagate\"") })
    }
}

@Suite struct AuthFailureLimiterTests {
    @Test func locksOutAfterNFailuresWithinTheWindowThenReleases() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        for t in [0.0, 10, 20] { limiter.recordFailure(source: "192.0.2.1", user: "alice", now: t) }
        #expect(limiter.isLocked(source: "192.0.2.1", user: nil, now: 21))
        #expect(limiter.isLocked(source: "198.51.100.9", user: "alice", now: 21), "the user is locked from any source")
        #expect(!limiter.isLocked(source: "198.51.100.9", user: "bob", now: 21))
        #expect(!limiter.isLocked(source: "192.0.2.1", user: nil, now: 321))
    }

    @Test func failuresOutsideTheWindowDoNotAccumulate() {
        var limiter = AuthFailureLimiter(maxFailures: 3, window: 60, lockout: 300)
        for t in [0.0, 100, 200] { limiter.recordFailure(source: "192.0.2.1", user: "alice", now: t) }
        #expect(!limiter.isLocked(source: "192.0.2.1", user: "alice", now: 201))
    }
}

@Suite struct DTMFRelayTests {
    @Test func parsesDtmfRelayAndPlainDtmf() {
        #expect(DTMFRelay.parse(body: Array("Signal=5\r\nDuration=250\r\n".utf8), contentType: "application/dtmf-relay")! == ("5", 250))
        #expect(DTMFRelay.parse(body: Array("Signal=11\nDuration=100".utf8), contentType: "application/dtmf-relay")! == ("#", 100))
        #expect(DTMFRelay.parse(body: Array("*".utf8), contentType: "application/dtmf")! == ("*", 160))
        #expect(DTMFRelay.parse(body: Array("Signal=X".utf8), contentType: "application/dtmf-relay") == nil)
        #expect(DTMFRelay.parse(body: Array("5".utf8), contentType: "text/plain") == nil)
    }
}

@Suite struct SDPDirectionTests {
    let ours = "v=0\r\no=wagate 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"

    @Test(arguments: [("a=sendonly", "a=recvonly"), ("a=inactive", "a=inactive"), ("a=sendrecv", "a=sendrecv"), ("a=recvonly", "a=sendonly")])
    func mirrorsTheOfferedDirection(_ offered: String, _ answered: String) throws {
        let offer = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n\(offered)\r\n"
        let answer = try #require(SDPDirection.answer(ours, toOffer: offer))
        #expect(answer.contains(answered + "\r\n"))
        #expect(answer.components(separatedBy: "a=").count == 2, "exactly one direction attribute")
        #expect(answer.contains("o=wagate 1 2 IN IP4"), "the session version goes up")
    }

    @Test func legacyHoldWithZeroAddressIsAnsweredRecvonly() throws {
        let offer = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"
        #expect(try #require(SDPDirection.answer(ours, toOffer: offer)).contains("a=recvonly\r\n"))
    }

    @Test func unparsableOfferGivesNoAnswer() {
        #expect(SDPDirection.answer(ours, toOffer: "garbage") == nil)
    }
}
