import Config
import Foundation
import Logging
import Testing
@testable import SIP

/// The reason phrase call control asks for is the one on the wire: cleaned of
/// anything that could start a header, and sofia's standard phrase when empty.
/// Responses are read back with sofia's own parser.
@Suite("reason phrases of SIPCommand.respond", .serialized)
struct SIPResponsePhraseTests {
    @Test("cleaning: control characters go, white space folds, the length is capped")
    func cleaning() {
        #expect(SIPHeaderText.reasonPhrase("Busy In A Meeting") == "Busy In A Meeting")
        #expect(SIPHeaderText.reasonPhrase("Busy\r\nX-Injected: 1") == "Busy X-Injected: 1")
        #expect(SIPHeaderText.reasonPhrase(" \t\r\n\u{0}") == nil)
        let long = SIPHeaderText.reasonPhrase(String(repeating: "é", count: 500))
        #expect(long?.unicodeScalars.count == SIPHeaderText.reasonPhraseLimit)
    }

    @Test("a custom phrase is sent as given, an empty one as sofia's standard phrase", arguments: [
        (486, "Busy In A Meeting", "Busy In A Meeting"),
        (486, "Busy\r\nX-Injected: 1", "Busy X-Injected: 1"),
        (486, "", "Busy Here"),
        (480, "  ", "Temporarily Unavailable"),
    ])
    func phraseOnTheWire(status: Int, phrase: String, expected: String) async throws {
        let peer = try UDPPeer()
        let (stack, port) = try makeStack(trunkPort: peer.port)
        try stack.start()
        var line: (status: Int, phrase: String, raw: String)?
        if (try? peer.send(invite(to: port, from: peer.port), to: port)) != nil,
           let handle = await incomingCall(on: stack) {
            stack.send(.respond(handle, status: status, phrase: phrase, sdp: nil, headers: []))
            line = peer.receiveFinalStatus()
        }
        await stack.shutdown()
        let response = try #require(line)
        #expect(response.status == status)
        #expect(response.phrase == expected)
        #expect(!response.raw.contains("\r\nX-Injected"))
    }

    private func makeStack(trunkPort: Int) throws -> (SIPStack, Int) {
        let port = FreePort.udp()
        let trunk = "[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = \(trunkPort)\nmatch_port = \(trunkPort)"
        return (try TestStack.make(listen: "udp:127.0.0.1:\(port)", sections: trunk), port)
    }

    private func invite(to port: Int, from peerPort: Int) -> String {
        let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
        return [
            "INVITE sip:+15551234567@127.0.0.1:\(port) SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:\(peerPort);branch=z9hG4bK-\(UUID().uuidString)",
            "Max-Forwards: 70",
            "From: <sip:100@127.0.0.1:\(peerPort)>;tag=phrase-test",
            "To: <sip:+15551234567@127.0.0.1:\(port)>",
            "Call-ID: \(UUID().uuidString)@127.0.0.1",
            "CSeq: 1 INVITE",
            "Contact: <sip:100@127.0.0.1:\(peerPort)>",
            "Content-Type: application/sdp",
            "Content-Length: \(sdp.utf8.count)",
            "", sdp,
        ].joined(separator: "\r\n")
    }

    /// The handle of the first incoming call, waiting at most five seconds.
    private func incomingCall(on stack: SIPStack) async -> SIPHandle? {
        await withTaskGroup(of: SIPHandle?.self) { group in
            group.addTask {
                for await event in stack.events {
                    if case .incomingCall(let handle, _, _) = event { return handle }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// A SIP peer on a UDP socket of 127.0.0.1 that sends one request and reads
/// responses with a receive timeout.
final class UDPPeer {
    let fd: Int32
    let port: Int

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        fd = socketFD
        port = Int(UInt16(bigEndian: address.sin_port))
        guard bound == 0 else { throw SIPError.startFailed("bind") }
    }

    deinit { close(fd) }

    func send(_ text: String, to port: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == bytes.count else { throw SIPError.startFailed("sendto") }
    }

    /// The first final (≥ 200) response, parsed by sofia; nil on timeout.
    func receiveFinalStatus() -> (status: Int, phrase: String, raw: String)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            let datagram = Array(buffer[0..<count])
            guard let line = SofiaMessageReader.statusLine(parsing: datagram), line.status >= 200 else { continue }
            return (line.status, line.phrase, String(decoding: datagram, as: UTF8.self))
        }
    }
}
