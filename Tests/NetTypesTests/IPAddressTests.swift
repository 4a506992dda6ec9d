import NetTypes
import Testing

/// The one IP address type: text in and out, bytes, and the IPv4-mapped forms.
@Suite("IP addresses")
struct IPAddressTests {
    @Test("IPv4 and IPv6 text forms", arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("fe80:0:0:0:1:0:0:0", "fe80::1:0:0:0"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"),
    ])
    func validAddresses(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(IPAddress(bytes: address.bytes) == address)
    }

    @Test("malformed addresses are refused", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", " 1.2.3.4",
        ":", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::g", "[::1]", "fe80::1%eth0",
        "1:2:3:4:5:6:7::8", "::1.2.3", "1.2.3.4::",
    ])
    func invalidAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("signs, brackets, zones and names are not addresses", arguments: [
        "+1.2.3.4", "1.2.3.+4", "+f::1", "::+1", "abcd.local", "[2001:db8::1]", "2001:db8::1%25eth0",
        String(repeating: "0:", count: 30) + "1",
    ])
    func notAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("bytes of either length round-trip; other lengths are refused")
    func bytes() {
        #expect(IPAddress(bytes: [192, 0, 2, 1]) == .v4(0xC000_0201))
        #expect(IPAddress(bytes: [UInt8](repeating: 0, count: 15) + [1]) == IPAddress("::1"))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPAddress("2001:db8::9")?.bytes.count == 16)
    }

    @Test("IPv4-mapped IPv6 addresses convert both ways")
    func mapping() throws {
        let v4 = try #require(IPAddress("192.0.2.1"))
        #expect(v4.isIPv4 && !v4.isIPv6)
        #expect(v4.mappedIPv6 == IPAddress("::ffff:192.0.2.1"))
        #expect(v4.mappedIPv6.unmappedIPv4 == v4)
        #expect(IPAddress("2001:db8::1")?.unmappedIPv4 == nil)
        #expect(IPAddress("::192.0.2.1")?.unmappedIPv4 == nil)
        #expect(v4.unmappedIPv4 == nil)
    }

    @Test("the DTLS role's raw values are the configuration words")
    func dtlsRole() {
        #expect(DTLSRole(rawValue: "client") == .client)
        #expect(DTLSRole(rawValue: "server") == .server)
        #expect(DTLSRole.allCases.count == 2)
    }
}
