import Config
import Foundation
import Testing
@testable import SIP

/// Meta's INVITE over TLS on the real stack (`openssl s_client` plays Meta):
/// recognised as Meta's, answered with a reliable 183 (its PRACK answered) and
/// a 200 that echoes both Record-Routes and offers no session timer; an INFO
/// without DTMF on the dialog gets 200.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct MetaInboundStackTests {
    static let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"

    func invite(port: Int) -> String {
        [
            "INVITE sip:+15550100002@127.0.0.1:\(port);transport=tls SIP/2.0",
            "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-meta-1;rport",
            "Record-Route: <sip:rr1.meta.test;lr;transport=tls>",
            "Record-Route: <sip:rr2.meta.test;lr;transport=tls>",
            "Max-Forwards: 70",
            "From: <sip:+447700900123@wa.meta.vc>;tag=meta-1",
            "To: <sip:+15550100002@sip.example.com>",
            "Call-ID: outgoing:wacid.STACK1",
            "CSeq: 1 INVITE",
            "Contact: <sip:meta@127.0.0.1:5099;transport=tls>",
            "Supported: 100rel, timer",
            "Session-Expires: 1800",
            "X-FB-External-Domain: wa.meta.vc",
            "x-wa-meta-wacid: wacid.STACK1",
            "Content-Type: application/sdp",
            "Content-Length: \(Self.sdp.utf8.count)",
            "", Self.sdp,
        ].joined(separator: "\r\n")
    }

    @Test func metaInviteGetsReliable183And200WithBothRecordRoutes() async throws {
        let pem = try MetaDialogStackTests.certificate()
        let tlsPort = FreePort.udp()
        let stack = try TestStack.make(
            listen: "udp:127.0.0.1:\(FreePort.udp()), tls:127.0.0.1:\(tlsPort)",
            general: "tls_certificate = \(pem)\ntls_private_key = \(pem)") { config in
            var number = NumberConfig(name: "wa-sip", phoneNumberID: "333", businessNumber: "+15550100002",
                                      accessToken: Secret("t"))
            number.signaling = .sip
            number.metaSIP = MetaSIPConfig(domain: "sip.example.com", username: "15550100002",
                                           sourceNetworks: [CIDR("127.0.0.0/8")!])
            config.numbers.append(number)
        }
        try stack.start()
        let meta = try TLSPeer(port: tlsPort)
        meta.write(invite(port: tlsPort))
        let event = await SIPStackEvents.next(stack) { if case .incomingCall = $0 { true } else { false } }
        guard case let .incomingCall(handle, identity, request) = event else {
            Issue.record("no incoming call: \(meta.text)")
            return
        }
        #expect(identity == .meta("wa-sip"))
        #expect(request.metaWACID == "wacid.STACK1" && request.offers100rel)
        stack.send(.respond(handle, status: 183, phrase: "Session Progress", sdp: Self.sdp, headers: ["Require: 100rel"]))
        let early = try #require(await meta.response(183))
        #expect(early.contains("\r\nRSeq:") || early.contains("\r\nrseq:"), "the 183 is reliable: \(early)")
        let rseq = early.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("rseq:") }?
            .dropFirst(5).trimmingCharacters(in: .whitespaces) ?? "1"
        let toTag = early.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("to:") } ?? ""
        meta.write(prack(port: tlsPort, rseq: rseq, to: toTag))
        #expect(await meta.response(200, cseq: "PRACK") != nil, "the PRACK is answered: \(meta.text)")
        stack.send(.respond(handle, status: 200, phrase: "OK", sdp: Self.sdp, headers: []))
        let final = try #require(await meta.response(200, cseq: "INVITE"), "no 200: \(meta.text)")
        let recordRoutes = final.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("record-route:") }
        #expect(recordRoutes.joined().contains("rr1.meta.test") && recordRoutes.joined().contains("rr2.meta.test"),
                "both Record-Routes echoed: \(final)")
        #expect(!final.lowercased().contains("session-expires:"), "no session timer towards Meta: \(final)")
        meta.write(inDialog("ACK", cseq: 1, port: tlsPort, to: toTag))
        meta.write(inDialog("INFO", cseq: 3, port: tlsPort, to: toTag))
        let info = await meta.response(200, cseq: "INFO")
        #expect(info != nil, "INFO on Meta's dialog is acknowledged without a DTMF body: \(meta.text)")
        stack.send(.destroy(handle))
        meta.close()
        await stack.shutdown()
    }

    @Test func theSameInviteOverUDPIsChallengedAndNothingRings() async throws {
        let udpPort = FreePort.udp()
        let stack = try TestStack.make(listen: "udp:127.0.0.1:\(udpPort)") { config in
            var number = NumberConfig(name: "wa-sip", phoneNumberID: "333", businessNumber: "+15550100002",
                                      accessToken: Secret("t"))
            number.signaling = .sip
            number.metaSIP = MetaSIPConfig(domain: "sip.example.com", username: "15550100002",
                                           sourceNetworks: [CIDR("127.0.0.0/8")!])
            config.numbers.append(number)
        }
        try stack.start()
        let peer = try UDPPeer()
        let text = invite(port: udpPort).replacingOccurrences(of: "transport=tls", with: "transport=udp")
            .replacingOccurrences(of: "SIP/2.0/TLS 127.0.0.1:5099", with: "SIP/2.0/UDP 127.0.0.1:\(peer.port)")
        try peer.send(text, to: udpPort)
        let final = try #require(peer.receiveFinalStatus())
        #expect(final.status == 407)
        // ACK the 407, so that the stack's transaction ends now rather than after Timer H.
        let to = final.raw.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("to:") } ?? ""
        try peer.send([
            "ACK sip:+15550100002@127.0.0.1:\(udpPort);transport=udp SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK-meta-1;rport", "Max-Forwards: 70",
            "From: <sip:+447700900123@wa.meta.vc>;tag=meta-1", to, "Call-ID: outgoing:wacid.STACK1",
            "CSeq: 1 ACK", "Content-Length: 0", "", "",
        ].joined(separator: "\r\n"), to: udpPort)
        let rang = await SIPStackEvents.next(stack, within: 0.5) { if case .incomingCall = $0 { true } else { false } }
        #expect(rang == nil)
        await stack.shutdown()
    }

    /// A request inside the dialog the 183's To tag (`to`, the whole header line) names.
    func inDialog(_ method: String, cseq: Int, port: Int, to: String) -> String {
        [
            "\(method) sip:127.0.0.1:\(port);transport=tls SIP/2.0",
            "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-meta-\(method.lowercased())-\(cseq);rport",
            "Max-Forwards: 70",
            "From: <sip:+447700900123@wa.meta.vc>;tag=meta-1",
            to,
            "Call-ID: outgoing:wacid.STACK1",
            "CSeq: \(method == "ACK" ? 1 : cseq) \(method)",
            "Contact: <sip:meta@127.0.0.1:5099;transport=tls>",
            "Content-Length: 0", "", "",
        ].joined(separator: "\r\n")
    }

    func prack(port: Int, rseq: String, to: String) -> String {
        [
            "PRACK sip:+15550100002@127.0.0.1:\(port);transport=tls SIP/2.0",
            "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-meta-2;rport",
            "Max-Forwards: 70",
            "From: <sip:+447700900123@wa.meta.vc>;tag=meta-1",
            to,
            "Call-ID: outgoing:wacid.STACK1",
            "CSeq: 2 PRACK",
            "RAck: \(rseq) 1 INVITE",
            "Content-Length: 0",
            "", "",
        ].joined(separator: "\r\n")
    }
}

/// Waits for the stack's events.
enum SIPStackEvents {
    /// The first event `match` accepts, waiting at most `seconds`.
    static func next(_ stack: SIPStack, within seconds: Double = 5,
                     _ match: @escaping @Sendable (SIPEvent) -> Bool) async -> SIPEvent? {
        await withTaskGroup(of: SIPEvent?.self) { group in
            group.addTask {
                for await event in stack.events where match(event) { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// A TLS peer on 127.0.0.1 (`openssl s_client`): writes requests, collects what comes
/// back (the pipe's handler appends under `lock`).
final class TLSPeer: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var received = ""

    init(port: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-no_ign_eof"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.received += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// Everything received so far.
    var text: String { lock.withLock { received } }

    func write(_ message: String) {
        input.fileHandleForWriting.write(Data(message.utf8))
    }

    /// The first response with `status` (and a CSeq naming `cseq`), waiting at most five seconds.
    func response(_ status: Int, cseq: String? = nil) async -> String? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let messages = text.components(separatedBy: "SIP/2.0 ").dropFirst()
            if let match = messages.first(where: { message in
                message.hasPrefix("\(status) ") && (cseq.map { Self.cseqMethod(of: message) == $0 } ?? true)
                    && Self.isComplete(message)
            }) {
                return "SIP/2.0 " + match
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// The method of `message`'s CSeq.
    static func cseqMethod(of message: String) -> String? {
        message.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("cseq:") }?
            .split(separator: " ").last.map(String.init)
    }

    /// True when `message` holds its whole header and the body its Content-Length announces.
    static func isComplete(_ message: String) -> Bool {
        guard let end = message.range(of: "\r\n\r\n") else { return false }
        let length = message[..<end.lowerBound].components(separatedBy: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
        return message[end.upperBound...].utf8.count >= length
    }

    func close() {
        output.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
    }
}
