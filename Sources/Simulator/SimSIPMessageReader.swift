// Framing SIP over a stream (RFC 3261 §7.5, §18.3): a message is a header
// section ended by an empty line, then exactly Content-Length body bytes.
// Everything here is bounded: the simulator faces the gateway under test, and a
// broken peer must close its connection, never trap the process.

import Foundation

/// Reads SIP messages from a byte stream, one at a time.
struct SimSIPMessageReader: Sendable {
    /// Why a stream cannot go on; the connection is closed.
    enum Failure: Error, Sendable, Equatable {
        /// The header section grew past ``SimSIPMessageReader/maxHeaderBytes`` without an empty line.
        case headerTooLarge
        /// Content-Length announces more than the message size allows.
        case messageTooLarge
        /// The start line or a header line cannot be read.
        case malformed(String)
    }

    /// The largest header section accepted (16 KB).
    static let maxHeaderBytes = 16 * 1024
    /// The largest message accepted, headers and body (64 KB).
    static let maxMessageBytes = 64 * 1024

    private var buffer: [UInt8] = []

    /// Creates an empty reader.
    init() {}

    /// Bytes received, not yet part of a complete message.
    var pendingBytes: Int { buffer.count }

    /// Adds bytes from the stream.
    mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete message, nil when more bytes are needed.
    mutating func next() throws(Failure) -> SimSIPMessage? {
        // RFC 5626 §4.4.1 keep-alives (CRLF) between messages are skipped.
        let skipped = buffer.prefix { $0 == 13 || $0 == 10 }.count
        if skipped > 0 { buffer.removeFirst(skipped) }
        guard let end = Self.headerEnd(in: buffer) else {
            if buffer.count > Self.maxHeaderBytes { throw .headerTooLarge }
            return nil
        }
        guard end <= Self.maxHeaderBytes else { throw .headerTooLarge }
        var message = try Self.parseHead(buffer[..<end])
        let length = try Self.contentLength(of: message)
        guard length <= Self.maxMessageBytes - (end + 4) else { throw .messageTooLarge }
        let bodyStart = end + 4
        guard buffer.count >= bodyStart + length else { return nil }
        message.body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return message
    }

    /// The offset of the first CRLFCRLF, if any.
    static func headerEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The start line and headers (folded lines joined, RFC 3261 §7.3.1).
    static func parseHead(_ head: ArraySlice<UInt8>) throws(Failure) -> SimSIPMessage {
        guard let text = String(validating: head, as: UTF8.self) else { throw .malformed("not UTF-8") }
        var lines = text.components(separatedBy: "\r\n")
        let startLine = lines.removeFirst()
        var message = SimSIPMessage(start: try parseStart(startLine))
        for line in lines {
            if let first = line.first, first == " " || first == "\t" {
                guard let last = message.headers.popLast() else { throw .malformed("continuation before any header") }
                message.headers.append((last.name, last.value + " " + line.trimmingWhitespace))
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("header line without a colon") }
            let name = String(line[..<colon]).trimmingWhitespace
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw .malformed("bad header name")
            }
            message.headers.append((name, String(line[line.index(after: colon)...]).trimmingWhitespace))
        }
        return message
    }

    private static func parseStart(_ line: String) throws(Failure) -> SimSIPMessage.StartLine {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw .malformed("bad start line") }
        if parts[0] == "SIP/2.0" {
            guard parts[1].count == 3, let status = Int(parts[1]), (100...699).contains(status) else {
                throw .malformed("bad status code")
            }
            return .response(status: status, reason: parts[2])
        }
        guard parts[2] == "SIP/2.0", !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
              !parts[1].isEmpty else {
            throw .malformed("bad request line")
        }
        return .request(method: parts[0], uri: parts[1])
    }

    /// Content-Length; a stream needs it (RFC 3261 §18.3), and every copy must agree.
    private static func contentLength(of message: SimSIPMessage) throws(Failure) -> Int {
        let values = Set(message.values("Content-Length"))
        guard values.count == 1, let text = values.first else { throw .malformed("Content-Length missing or repeated") }
        guard text.count <= 6, let length = Int(text), length >= 0 else {
            throw text.count > 6 && text.allSatisfy(\.isNumber) ? .messageTooLarge : .malformed("bad Content-Length")
        }
        return length
    }
}
