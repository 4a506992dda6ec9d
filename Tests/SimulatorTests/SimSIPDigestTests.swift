import Foundation
import Testing
@testable import Simulator

/// Meta's digest check (RFC 7616 §3.9.1 vectors, which SIP computes the same
/// way with the SIP method), the credentials parser, and the ALPN `sip` refusal's
/// ClientHello reader.
@Suite struct SimSIPDigestTests {
    static let rfc7616 = """
        Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", \
        nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, \
        cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
        """

    @Test(arguments: [
        (SimSIPDigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (SimSIPDigestAlgorithm.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Vectors(algorithm: SimSIPDigestAlgorithm, response: String) throws {
        let digest = SimSIPDigest(realm: "http-auth@example.org")
        var credentials = try #require(SimSIPDigestCredentials(header: Self.rfc7616))
        #expect(digest.expectedResponse(credentials, password: "Circle of Life", method: "GET", algorithm: algorithm) == response)
        credentials.parameters["response"] = response.uppercased()
        #expect(digest.verify(credentials, password: "Circle of Life", method: "GET", algorithm: algorithm))
        #expect(!digest.verify(credentials, password: "circle of life", method: "GET", algorithm: algorithm))
        #expect(!digest.verify(credentials, password: "Circle of Life", method: "INVITE", algorithm: algorithm))
    }

    @Test func credentialsParserKeepsQuotedCommasAndRefusesOtherSchemes() throws {
        let credentials = try #require(SimSIPDigestCredentials(header: #"Digest username="a,b", uri="sip:+1@wa.meta.vc;transport=tls""#))
        #expect(credentials["username"] == "a,b")
        #expect(credentials["uri"] == "sip:+1@wa.meta.vc;transport=tls")
        #expect(SimSIPDigestCredentials(header: "Basic YTpi") == nil)
        #expect(SimSIPDigestCredentials(header: "Digest") == nil)
    }

    @Test func challengeIsMetaShaped() {
        let value = SimSIPDigest().challenge(nonce: "419ac2415577f8e1", opaque: "440badfc05072367", algorithm: .md5)
        #expect(value == #"Digest realm="wa.meta.vc",nonce="419ac2415577f8e1",opaque="440badfc05072367",algorithm=MD5,qop="auth""#)
        #expect(SimSIPDigest().challenge(nonce: "n", opaque: "o", algorithm: .sha256, stale: true)
            .hasSuffix(#"algorithm=SHA-256,qop="auth",stale=true"#))
        #expect(SimSIPDigest.hexToken().count == 16 && SimSIPDigest.hexToken().allSatisfy(\.isHexDigit))
    }

    /// A TLS 1.2 record holding a ClientHello with the given ALPN names (none: no extension).
    static func clientHello(alpn: [String]) -> [UInt8] {
        var extensions: [UInt8] = [0x00, 0x00, 0x00, 0x00]    // an empty server_name extension first
        if !alpn.isEmpty {
            let list = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            extensions += [0x00, 0x10] + u16(list.count + 2) + u16(list.count) + list
        }
        var hello: [UInt8] = [0x03, 0x03] + Array(repeating: 7, count: 32) + [0]     // version, random, no session id
        hello += u16(2) + [0x13, 0x01] + [1, 0] + u16(extensions.count) + extensions
        let handshake: [UInt8] = [1, 0] + u16(hello.count) + hello
        return [0x16, 0x03, 0x01] + u16(handshake.count) + handshake
    }

    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    @Test func clientHelloOfferingSIPIsSpotted() {
        #expect(SimulatedMetaSIPALPNGuard.offersSIP(Self.clientHello(alpn: ["h2", "sip"])) == true)
        #expect(SimulatedMetaSIPALPNGuard.offersSIP(Self.clientHello(alpn: ["h2"])) == false)
        #expect(SimulatedMetaSIPALPNGuard.offersSIP(Self.clientHello(alpn: [])) == false)
        #expect(SimulatedMetaSIPALPNGuard.offersSIP(Array(Self.clientHello(alpn: ["sip"]).prefix(20))) == nil)
        #expect(SimulatedMetaSIPALPNGuard.offersSIP(Array("OPTIONS sip:a SIP/2.0\r\n".utf8)) == false)
    }

    @Test func mangledClientHellosNeverTrap() {
        let hello = Self.clientHello(alpn: ["sip"])
        for index in 5..<hello.count {
            for value: UInt8 in [0, 1, 0x7F, 0xFF] {
                var bytes = hello
                bytes[index] = value
                _ = SimulatedMetaSIPALPNGuard.offersSIP(bytes)
                _ = SimulatedMetaSIPALPNGuard.offersSIP(Array(bytes.prefix(index)))
            }
        }
    }
}
