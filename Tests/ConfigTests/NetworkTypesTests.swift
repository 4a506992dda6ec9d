// CIDR blocks, host:port specs and listeners, parsed by hand.

import Testing
@testable import Config

@Suite("network types")
struct NetworkTypesTests {
    @Test("IPv4 CIDR containment")
    func cidrIPv4() throws {
        let block = try #require(CIDR("192.168.1.77/24"))
        #expect(block.description == "192.168.1.0/24")
        #expect(block.contains("192.168.1.1"))
        #expect(block.contains("192.168.1.255"))
        #expect(!block.contains("192.168.2.1"))
        #expect(block.contains("::ffff:192.168.1.9"))
        #expect(!block.contains("2001:db8::1"))
        #expect(!block.contains("not an ip"))
        let odd = try #require(CIDR("10.64.0.0/10"))
        #expect(odd.contains("10.127.255.255") && !odd.contains("10.128.0.0"))
        #expect(try #require(CIDR("0.0.0.0/0")).contains("203.0.113.5"))
        #expect(try #require(CIDR("203.0.113.5")).description == "203.0.113.5/32")
    }

    @Test("IPv6 CIDR containment")
    func cidrIPv6() throws {
        let block = try #require(CIDR("2001:db8::/32"))
        #expect(block.contains("2001:db8:ffff::1"))
        #expect(block.contains("[2001:db8::5]"))
        #expect(block.contains("2001:db8::5%eth0"))
        #expect(!block.contains("2001:db9::1"))
        #expect(!block.contains("192.0.2.1"))
        let narrow = try #require(CIDR("fd00:1:2:3::/61"))
        #expect(narrow.contains("fd00:1:2:7::1") && !narrow.contains("fd00:1:2:8::1"))
        #expect(try #require(CIDR("::ffff:0:0/96")).contains("198.51.100.1"))
        #expect(try #require(CIDR("::1")).description == "::1/128")
    }

    @Test("malformed CIDR blocks are refused", arguments: [
        "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "/8", "10.0.0.0/8/8", "host/8",
    ])
    func invalidCIDR(text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test("host:port specs and listeners")
    func socketAddresses() {
        #expect(SocketAddressSpec.parse("[::1]:5060", requireIP: true) == SocketAddressSpec(host: "::1", port: 5060))
        #expect(SocketAddressSpec.parse("sip.example.com:5061", requireIP: false)?.description == "sip.example.com:5061")
        #expect(SocketAddressSpec.parse("sip.example.com:5061", requireIP: true) == nil)
        #expect(SocketAddressSpec.parse("::1:5060", requireIP: true) == nil)
        #expect(SocketAddressSpec.parse("[192.0.2.1]:5060", requireIP: true) == nil)
        #expect(SocketAddressSpec.parse("1.2.3.4:0", requireIP: true) == nil)
        #expect(SocketAddressSpec.parse("1.2.3.4:65536", requireIP: true) == nil)
        #expect(SocketAddressSpec.parse("1.2.3.4:+80", requireIP: true) == nil)
        #expect(SIPListener.parse("TLS:[::]:5061")?.description == "tls:[::]:5061")
        #expect(SIPListener.parse("sctp:0.0.0.0:5060") == nil)
        #expect(SIPListener.parse("0.0.0.0:5060") == nil)
    }

    @Test("host names")
    func hostnames() {
        #expect(Hostname.isValid("gw.example.com"))
        #expect(Hostname.isValid("localhost"))
        #expect(Hostname.isValid("a-b.c9"))
        #expect(!Hostname.isValid("-a.com"))
        #expect(!Hostname.isValid("a..com"))
        #expect(!Hostname.isValid("999.1.1.1"))
        #expect(!Hostname.isValid("has space.com"))
        #expect(!Hostname.isValid(String(repeating: "a", count: 64) + ".com"))
    }

    @Test("listener lists: several per key, repeated keys, and TCP port conflicts")
    func listenerLists() throws {
        let config = try TestSupport.parse("[general]\nlisten = udp:0.0.0.0:5060, tcp:[::]:5060\nlisten = udp:[::1]:5080")
        #expect(config.general.listeners.map(\.description) == ["udp:0.0.0.0:5060", "tcp:[::]:5060", "udp:[::1]:5080"])
        #expect(TestSupport.problems("[general]\nlisten = tcp:0.0.0.0:5060\nlisten = tls:0.0.0.0:5060\ntls_certificate = /dev/null\ntls_private_key = /dev/null").first ==
            "sip.conf:3: listener 'tls:0.0.0.0:5060' conflicts with 'tcp:0.0.0.0:5060': both need TCP port 5060 on 0.0.0.0")
    }
}
