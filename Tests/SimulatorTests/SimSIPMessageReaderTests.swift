import Foundation
import Testing
@testable import Simulator

/// The SIP-mode Meta's stream framing: whole messages out of any chunking, and
/// every hostile input ends in an error that closes the connection, never a trap.
@Suite struct SimSIPMessageReaderTests {
    static let invite = """
        INVITE sip:+15551234567@wa.meta.vc;transport=tls SIP/2.0\r
        v: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK1, SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK2\r
        f: <sip:15550001111@sip.example.com>;tag=a1\r
        t: <sip:+15551234567@wa.meta.vc>\r
        i: abc@host\r
        CSeq: 1 INVITE\r
        Record-Route: <sip:p1;lr>, <sip:p2;lr>\r
        Subject: folded\r
         continued\r
        l: 4\r
        \r
        v=0\n
        """

    private func read(_ text: String) throws -> [SimSIPMessage] {
        var reader = SimSIPMessageReader()
        reader.append(Array(text.utf8))
        var messages: [SimSIPMessage] = []
        while let message = try reader.next() { messages.append(message) }
        return messages
    }

    @Test func readsARequestWithCompactHeadersFoldingAndBody() throws {
        let message = try #require(try read(Self.invite).first)
        #expect(message.method == "INVITE")
        #expect(message.requestURI == "sip:+15551234567@wa.meta.vc;transport=tls")
        #expect(message.values("Via").count == 2)
        #expect(message.value("From") == "<sip:15550001111@sip.example.com>;tag=a1")
        #expect(message.value("Call-ID") == "abc@host")
        #expect(message.values("Record-Route") == ["<sip:p1;lr>", "<sip:p2;lr>"])
        #expect(message.value("Subject") == "folded continued")
        #expect(message.cseq?.number == 1 && message.cseq?.method == "INVITE")
        #expect(message.bodyText == "v=0\n")
    }

    @Test func readsOneByteAtATimeAndSkipsKeepAlives() throws {
        var reader = SimSIPMessageReader()
        var messages: [SimSIPMessage] = []
        for byte in Array(("\r\n\r\n" + Self.invite + "\r\n" + Self.invite).utf8) {
            reader.append([byte])
            while let message = try reader.next() { messages.append(message) }
        }
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.bodyText == "v=0\n" })
        #expect(reader.pendingBytes == 0)
    }

    @Test func serializedMessagesReadBackTheSame() throws {
        var response = SimSIPMessage(start: .response(status: 180, reason: "Ringing"))
        response.add("Via", "SIP/2.0/TLS a;branch=z9hG4bKx")
        response.add("Content-Length", "999")
        response.body = Array("abc".utf8)
        let back = try #require(try read(String(decoding: response.serialized, as: UTF8.self)).first)
        #expect(back.status == 180)
        #expect(back.value("Content-Length") == "3")
        #expect(back.body == response.body)
    }

    @Test func oversizedHeaderSectionIsRefused() {
        let huge = "OPTIONS sip:a SIP/2.0\r\nX-Pad: " + String(repeating: "a", count: 17_000)
        #expect(throws: SimSIPMessageReader.Failure.headerTooLarge) { try read(huge) }
        let complete = huge + "\r\nContent-Length: 0\r\n\r\n"
        #expect(throws: SimSIPMessageReader.Failure.headerTooLarge) { try read(complete) }
    }

    @Test func oversizedBodyIsRefusedBeforeItArrives() {
        #expect(throws: SimSIPMessageReader.Failure.messageTooLarge) {
            try read("OPTIONS sip:a SIP/2.0\r\nContent-Length: 70000\r\n\r\n")
        }
        #expect(throws: SimSIPMessageReader.Failure.messageTooLarge) {
            try read("OPTIONS sip:a SIP/2.0\r\nContent-Length: 99999999999999999999999\r\n\r\n")
        }
    }

    @Test(arguments: [
        "OPTIONS sip:a SIP/2.0\r\n\r\n",                                    // no Content-Length on a stream
        "OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n",
        "OPTIONS sip:a SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab",     // two lengths disagree
        "SIP/2.0 99 Odd\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 1000 Odd\r\nContent-Length: 0\r\n\r\n",
        "GARBAGE\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS sip:a HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS sip:a SIP/2.0\r\nno colon here\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS sip:a SIP/2.0\r\n continuation first\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS sip:a SIP/2.0\r\n\u{FF}: x\r\nContent-Length: 0\r\n\r\n",
    ])
    func malformedMessagesAreRefused(_ text: String) {
        #expect(throws: SimSIPMessageReader.Failure.self) { try read(text) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        let seeds = Array(Self.invite.utf8)
        for round in 0..<3000 {
            var reader = SimSIPMessageReader()
            var bytes = round % 2 == 0 ? seeds : (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for _ in 0..<Int.random(in: 0...8, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            reader.append(bytes)
            for _ in 0..<4 { _ = try? reader.next() }
        }
    }

    @Test func headerValueHelpersReadURIsAndTags() {
        let from = "\"Bob\" <sip:15550001111@Sip.Example.com:5061;transport=tls>;tag=abc"
        #expect(SimSIPHeaderValue.uri(of: from) == "sip:15550001111@Sip.Example.com:5061;transport=tls")
        #expect(SimSIPHeaderValue.parameter("tag", in: from) == "abc")
        #expect(SimSIPHeaderValue.userHost(SimSIPHeaderValue.uri(of: from))?.host == "sip.example.com")
        #expect(SimSIPHeaderValue.userHost("sip:+1555@[::1]:5061")?.host == "[::1]")
        #expect(SimSIPHeaderValue.userHost("http://x") == nil)
        #expect(SimulatedMetaSIPDialog.withTag("<sip:a@b>", "t1") == "<sip:a@b>;tag=t1")
    }
}

/// A peer that keeps sending junk gets `burst` log lines a window, then one line
/// that says how many were left out.
@Suite struct SimulatedMetaSIPLogBudgetTests {
    @Test func burstThenSilenceThenTheCountLeftOut() {
        let budget = SimulatedMetaSIPLogBudget(burst: 2, interval: 60)
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(budget.admit("framing", now: start) == 0)
        #expect(budget.admit("framing", now: start) == 0)
        #expect(budget.admit("framing", now: start) == nil)
        #expect(budget.admit("framing", now: start.addingTimeInterval(59)) == nil)
        #expect(budget.admit("digest", now: start) == 0)
        #expect(budget.admit("framing", now: start.addingTimeInterval(60)) == 2)
        #expect(budget.admit("framing", now: start.addingTimeInterval(61)) == 0)
    }
}
