// Turning sofia's log lines back into events. tport's TPTAG_LOG trace writes a
// message as a stamp line (`recv 538 bytes from udp/[192.0.2.1]:5060 at
// 12:00:00.000000:`), a separator, the message's lines indented by three
// spaces, and a closing separator; everything else sofia logs is a plain line.

import Foundation

/// One thing sofia logged.
enum SofiaLogOutput: Equatable, Sendable {
    /// A line that is not part of a message trace.
    case plain(String)
    /// A traced SIP message: the stamp (without its time of day) and its lines,
    /// at most `SofiaTraceAssembler.maxLines`, each at most `maxLineLength`.
    case message(summary: String, lines: [String], truncated: Bool)
}

/// Groups the lines of one traced message. Pure; fed one line at a time.
struct SofiaTraceAssembler: Sendable {
    /// The most lines of one message kept (a SIP message with a large body can
    /// have hundreds; the rest is counted, not logged).
    static let maxLines = 100
    /// The longest line kept, in characters.
    static let maxLineLength = 300
    private static let separator = String(repeating: "-", count: 72)

    private var summary: String?
    private var lines: [String] = []
    private var truncated = false

    /// Feeds one line; returns what it completes, if anything.
    mutating func feed(_ line: String) -> SofiaLogOutput? {
        let trimmed = line.drop { $0 == " " }
        if let current = summary {
            if trimmed == Self.separator {
                if lines.isEmpty && !truncated { return nil }  // the opening separator
                defer { summary = nil; lines = []; truncated = false }
                return .message(summary: current, lines: lines, truncated: truncated)
            }
            var body = Substring(line)
            if body.hasPrefix("   ") { body = body.dropFirst(3) }
            if lines.count < Self.maxLines {
                lines.append(Self.bounded(body))
            } else {
                truncated = true
            }
            return nil
        }
        if let stamp = Self.stamp(line) {
            summary = stamp
            return nil
        }
        return .plain(Self.bounded(Substring(line)))
    }

    /// `recv 538 bytes from udp/[192.0.2.1]:5060` from a stamp line, or nil when
    /// the line is not one.
    static func stamp(_ line: String) -> String? {
        guard line.hasPrefix("recv ") || line.hasPrefix("send "), line.contains(" bytes "), line.hasSuffix(":"),
              let at = line.range(of: " at ", options: .backwards) else { return nil }
        return String(line[..<at.lowerBound])
    }

    private static func bounded(_ text: Substring) -> String {
        text.count > maxLineLength ? String(text.prefix(maxLineLength)) + "…" : String(text)
    }
}
