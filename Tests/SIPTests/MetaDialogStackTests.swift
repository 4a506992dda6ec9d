import Config
import Foundation
import Glibc
import Testing
@testable import SIP

/// The real stack's INVITE on a dialog with Meta: no session timer is offered
/// (Meta fails the call on a re-INVITE), while other calls still offer one.
@Suite(.serialized)
struct MetaDialogStackTests {
    private func call(to port: Int, meta: Bool) -> SIPOutgoingCall {
        var call = SIPOutgoingCall(
            requestURI: "sip:+447700900123@127.0.0.1:\(port)", to: "<sip:+447700900123@127.0.0.1:\(port)>",
            from: "<sip:15550100002@sip.example.com>",
            sdp: "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n")
        if meta { call.metaNumber = "wa-sip" }
        return call
    }

    /// The first INVITE the peer receives, as text; nil after the socket's timeout.
    private func receiveInvite(_ peer: UDPPeer) -> String? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(peer.fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            if text.hasPrefix("INVITE ") { return text }
        }
    }

    /// Answers `invite` 486 from `peer` to the stack at `port`, so that the INVITE
    /// transaction ends at once (nua ACKs it) instead of holding the shutdown.
    private func refuse(_ invite: String, from peer: UDPPeer, to port: Int, extra: [String] = []) throws {
        let lines = invite.components(separatedBy: "\r\n")
        let copied = lines.filter { line in
            ["via:", "from:", "call-id:", "cseq:"].contains { line.lowercased().hasPrefix($0) }
        }
        let to = (header("To", in: invite) ?? "To: <sip:x@127.0.0.1>") + ";tag=peer-1"
        try peer.send((["SIP/2.0 486 Busy Here"] + copied + [to] + extra + ["Content-Length: 0", "", ""])
            .joined(separator: "\r\n"), to: port)
    }

    private func header(_ name: String, in message: String) -> String? {
        message.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
    }

    @Test func anInviteToMetaOffersNoSessionTimer() async throws {
        let port = FreePort.udp()
        let stack = try TestStack.make(listen: "udp:127.0.0.1:\(port)")
        try stack.start()
        let metaPeer = try UDPPeer(), phonePeer = try UDPPeer()
        let metaHandle = stack.makeHandle(), phoneHandle = stack.makeHandle()
        stack.send(.invite(metaHandle, call(to: metaPeer.port, meta: true)))
        stack.send(.invite(phoneHandle, call(to: phonePeer.port, meta: false)))
        let toMeta = try #require(receiveInvite(metaPeer))
        let toPhone = try #require(receiveInvite(phonePeer))
        #expect(header("Session-Expires", in: toMeta) == nil)
        #expect(header("Supported", in: toMeta)?.contains("timer") != true)
        #expect(header("Session-Expires", in: toPhone) != nil, "the control: other calls offer the configured timer")
        try refuse(toMeta, from: metaPeer, to: port)
        try refuse(toPhone, from: phonePeer, to: port)
        await stack.shutdown()
    }

    /// Meta's `x-wa-meta-wacid` on a response comes up with it for a call placed
    /// to Meta; the same header from any other peer is not read.
    @Test func metasWacidOnAResponseIsPassedUpOnlyOnMetasDialog() async throws {
        let port = FreePort.udp()
        let stack = try TestStack.make(listen: "udp:127.0.0.1:\(port)")
        try stack.start()
        let metaPeer = try UDPPeer(), phonePeer = try UDPPeer()
        let metaHandle = stack.makeHandle(), phoneHandle = stack.makeHandle()
        stack.send(.invite(metaHandle, call(to: metaPeer.port, meta: true)))
        stack.send(.invite(phoneHandle, call(to: phonePeer.port, meta: false)))
        let wacid = "x-wa-meta-wacid: wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI"
        try refuse(try #require(receiveInvite(metaPeer)), from: metaPeer, to: port, extra: [wacid])
        try refuse(try #require(receiveInvite(phonePeer)), from: phonePeer, to: port, extra: [wacid])
        var seen: [SIPHandle: String?] = [:]
        for await event in stack.events {
            if case let .inviteResponse(handle, status, _, _, _, _, metaWACID) = event, status >= 300 {
                seen[handle] = metaWACID
            }
            if seen.count == 2 { break }
        }
        #expect(seen[metaHandle] == .some("wacid.HBgLMTU1NTAxMDAwMDIVAgARGBI"))
        #expect(seen[phoneHandle] == .some(nil), "a phone's header is not Meta's")
        await stack.shutdown()
    }

    /// A throw-away self-signed certificate and key (one PEM file) for a TLS listener.
    static func certificate() throws -> String {
        let path = NSTemporaryDirectory() + "meta-dialog-\(UUID().uuidString).pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-subj", "/CN=sip.example.com", "-days", "1", "-keyout", path, "-out", path + ".crt"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        let key = try String(contentsOfFile: path, encoding: .utf8)
        let cert = try String(contentsOfFile: path + ".crt", encoding: .utf8)
        try (key + cert).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func anInviteToMetaNamesTheTLSListenerAsContact() async throws {
        let pem = try Self.certificate()
        let tlsPort = FreePort.udp(), udpPort = FreePort.udp()
        let stack = try TestStack.make(
            listen: "udp:127.0.0.1:\(udpPort), tls:127.0.0.1:\(tlsPort)",
            sections: "", general: "tls_certificate = \(pem)\ntls_private_key = \(pem)")
        try stack.start()
        let peer = try UDPPeer()
        let handle = stack.makeHandle()
        stack.send(.invite(handle, call(to: peer.port, meta: true)))
        let invite = try #require(receiveInvite(peer))
        let contact = try #require(header("Contact", in: invite))
        #expect(contact.contains("127.0.0.1:\(tlsPort)") && contact.contains("transport=tls"))
        try refuse(invite, from: peer, to: udpPort)
        await stack.shutdown()
    }
}
