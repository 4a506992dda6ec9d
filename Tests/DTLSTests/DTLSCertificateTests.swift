import Testing
@testable import DTLS

/// Certificate generation, fingerprint text and record packing.
@Suite struct DTLSCertificateTests {
    @Test func certificateHasSHA256FingerprintInSDPForm() throws {
        let certificate = try DTLSCertificate()
        #expect(certificate.fingerprint.algorithm == .sha256)
        #expect(certificate.fingerprint.bytes.count == 32)
        let text = certificate.fingerprint.hexString
        #expect(text.count == 32 * 3 - 1)
        #expect(text == text.uppercased())
        #expect(DTLSFingerprint(hexString: text) == certificate.fingerprint)
        #expect(certificate.fingerprint.attributeValue.hasPrefix("sha-256 "))
        #expect(try DTLSCertificate().fingerprint != certificate.fingerprint)
    }

    @Test func processCertificateIsMadeOnce() throws {
        #expect(try DTLSCertificate.shared() === DTLSCertificate.shared())
    }

    @Test func fingerprintParsing() {
        #expect(DTLSFingerprint(hexString: "ab:CD:01")?.bytes == [0xAB, 0xCD, 0x01])
        #expect(DTLSFingerprint(hexString: "ab:CD:1") == nil)
        #expect(DTLSFingerprint.Algorithm(name: "SHA-256") == .sha256)
        #expect(DTLSFingerprint.Algorithm(name: "md5") == nil)
    }

    @Test func recordsArePackedIntoDatagramsWithinTheMTU() {
        func record(_ length: Int) -> [UInt8] {
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + [UInt8](repeating: 7, count: length)
        }
        let bytes = record(100) + record(200) + record(1000) + record(10)
        let datagrams = DTLSRecordPacker.datagrams(from: bytes, mtu: 1200)
        #expect(datagrams.map(\.count) == [113 + 213, 1013 + 23])
        #expect(datagrams.flatMap { $0 } == bytes)
        #expect(DTLSRecordPacker.datagrams(from: [1, 2, 3], mtu: 1200) == [[1, 2, 3]])
    }
}
