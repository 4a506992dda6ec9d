import Testing
@testable import SIP

@Suite struct DigestAuthenticatorTests {
    var auth = DigestAuthenticator(realm: "wagate", nonceLifetime: 300, offered: [.md5, .sha256])
    static let uri = "sip:wagate"
    static let phone = "192.0.2.7"

    private func credentials(nonce: String, password: String, algorithm: DigestAlgorithm = .md5,
                             method: String = "REGISTER", uri: String = uri, nc: String? = "00000001",
                             qop: String? = "auth") -> DigestCredentials {
        var parameters = ["username": "alice", "realm": "wagate", "nonce": nonce, "uri": uri,
                          "response": "", "algorithm": algorithm.rawValue, "cnonce": "abc"]
        parameters["qop"] = qop
        parameters["nc"] = nc
        var c = DigestCredentials(parameters: parameters)!
        c.response = DigestAuthenticator.response(credentials: c, method: method, password: password)
        return c
    }

    private mutating func verify(_ c: DigestCredentials, method: String = "REGISTER", requestURI: String = uri,
                                 source: String = phone, now: Double = 1010) -> DigestAuthenticator.Verdict {
        auth.verify(c, method: method, requestURI: requestURI, source: source, password: "s3cret", now: now)
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
    mutating func acceptsTheRightPasswordAndRejectsAWrongOne(_ algorithm: DigestAlgorithm) {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        #expect(verify(credentials(nonce: nonce, password: "wrong", algorithm: algorithm)) == .rejected)
        #expect(verify(credentials(nonce: nonce, password: "s3cret", algorithm: algorithm)) == .accepted)
    }

    @Test mutating func expiredNonceIsStaleOnlyWithTheRightPassword() {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        #expect(verify(credentials(nonce: nonce, password: "s3cret"), now: 1400) == .stale)
        #expect(verify(credentials(nonce: nonce, password: "nope"), now: 1400) == .rejected)
    }

    @Test mutating func forgedOrForeignNonceIsUnusable() {
        var other = DigestAuthenticator(realm: "wagate", nonceLifetime: 300)
        let foreign = other.makeNonce(now: 1000, source: Self.phone)
        guard case .unusable = verify(credentials(nonce: foreign, password: "s3cret")) else { Issue.record(); return }
        guard case .unusable = verify(credentials(nonce: "3e8.1.abcdef", password: "wrong")) else { Issue.record(); return }
    }

    @Test mutating func aNonceIsGoodOnlyFromTheAddressItWasIssuedTo() {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        guard case .unusable = verify(credentials(nonce: nonce, password: "s3cret"), source: "198.51.100.9") else {
            Issue.record("another address's nonce was usable"); return
        }
        guard case .unusable = verify(credentials(nonce: nonce, password: "wrong"), source: "198.51.100.9") else {
            Issue.record("a wrong response on another address's nonce must not count"); return
        }
        #expect(verify(credentials(nonce: nonce, password: "s3cret")) == .accepted)
    }

    @Test mutating func aRepeatedOrLowerNonceCountIsAReplay() {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        #expect(verify(credentials(nonce: nonce, password: "s3cret", nc: "00000002")) == .accepted)
        #expect(verify(credentials(nonce: nonce, password: "s3cret", nc: "00000002")) == .replayed)
        #expect(verify(credentials(nonce: nonce, password: "s3cret", nc: "00000001")) == .replayed)
        #expect(verify(credentials(nonce: nonce, password: "s3cret", nc: "00000003")) == .accepted)
    }

    @Test mutating func theDigestURIMustNameTheRequestURI() {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        let captured = credentials(nonce: nonce, password: "s3cret", method: "INVITE", uri: "sip:+14155550100@wagate")
        #expect(verify(captured, method: "INVITE", requestURI: "sip:+14155550199@wagate") == .uriMismatch)
        #expect(verify(captured, method: "INVITE", requestURI: "sip:%2B14155550100@WAGATE;transport=udp") == .accepted)
    }

    @Test mutating func qopAuthIsRequired() {
        let nonce = auth.makeNonce(now: 1000, source: Self.phone)
        guard case .unusable = verify(credentials(nonce: nonce, password: "s3cret", nc: nil, qop: nil)) else {
            Issue.record("an RFC 2069 response was accepted"); return
        }
        guard case .unusable = verify(credentials(nonce: nonce, password: "s3cret", nc: "00000000")) else {
            Issue.record("nc=0 was accepted"); return
        }
    }

    @Test func md5IsRefusedWhenOnlySHA256IsOffered() {
        var strict = DigestAuthenticator(realm: "wagate", nonceLifetime: 300, offered: [.sha256])
        let nonce = strict.makeNonce(now: 1000, source: Self.phone)
        let md5 = credentials(nonce: nonce, password: "s3cret", algorithm: .md5)
        guard case .unusable = strict.verify(md5, method: "REGISTER", requestURI: Self.uri, source: Self.phone,
                                             password: "s3cret", now: 1001) else { Issue.record(); return }
        let sha = credentials(nonce: nonce, password: "s3cret", algorithm: .sha256)
        #expect(strict.verify(sha, method: "REGISTER", requestURI: Self.uri, source: Self.phone, password: "s3cret", now: 1001) == .accepted)
    }

    @Test func anEvictedNonceIsNeverAcceptedAgain() {
        var small = DigestAuthenticator(realm: "wagate", nonceLifetime: 300, nonceTableSize: 4)
        let first = small.makeNonce(now: 1000, source: Self.phone)
        let c = credentials(nonce: first, password: "s3cret")
        #expect(small.verify(c, method: "REGISTER", requestURI: Self.uri, source: Self.phone, password: "s3cret", now: 1001) == .accepted)
        for _ in 0..<4 {
            let nonce = small.makeNonce(now: 1000, source: Self.phone)
            let fresh = credentials(nonce: nonce, password: "s3cret")
            #expect(small.verify(fresh, method: "REGISTER", requestURI: Self.uri, source: Self.phone, password: "s3cret", now: 1001) == .accepted)
        }
        #expect(small.trackedNonces == 4)
        let replay = credentials(nonce: first, password: "s3cret", nc: "00000001")
        #expect(small.verify(replay, method: "REGISTER", requestURI: Self.uri, source: Self.phone, password: "s3cret", now: 1002) == .stale)
    }

    @Test mutating func challengesOfferMD5ThenSHA256WithQopAuth() {
        let values = auth.challenges(now: 1000, source: Self.phone, stale: true)
        #expect(values.count == 2)
        #expect(values[0].contains("algorithm=MD5") && values[1].contains("algorithm=SHA-256"))
        #expect(values.allSatisfy { $0.contains("qop=\"auth\"") && $0.contains("stale=true") && $0.contains("realm=\"wagate\"") })
    }
}

@Suite struct DigestURITests {
    @Test(arguments: [
        ("sip:alice@wagate", "sip:alice@WAGATE;transport=tcp"),
        ("sip:%2B44123@[::1]:5060", "sip:+44123@[::1]:5060"),
        ("<sip:127.0.0.1:5060>", "sip:127.0.0.1:5060"),
    ])
    func equalURIs(_ a: String, _ b: String) {
        #expect(DigestURI.matches(a, requestURI: b))
    }

    @Test(arguments: [
        ("sip:alice@wagate", "sips:alice@wagate"),
        ("sip:alice@wagate", "sip:Alice@wagate"),
        ("sip:wagate", "sip:wagate:5060"),
        ("sip:+1@wagate", "sip:+2@wagate"),
        ("garbage", "garbage"),
        ("sip:wagate:99999", "sip:wagate:99999"),
    ])
    func differentURIs(_ a: String, _ b: String) {
        #expect(!DigestURI.matches(a, requestURI: b))
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
