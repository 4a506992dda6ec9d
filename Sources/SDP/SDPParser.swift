/// Parses session descriptions from bytes (RFC 8866 §5, §9).
///
/// Lenient where peers differ harmlessly: bare LF line ends, trailing spaces and
/// tabs, blank lines, runs of spaces between tokens, a missing `t=`, fields in a
/// non-canonical order at one level. Strict where it matters: every line must be
/// `<type>=<value>` with a known type letter; `v=0`, `o=` and `s=` must be present;
/// numeric fields must be numbers in range. Attribute values are not interpreted
/// here (typed accessors do that), so unknown attributes are kept as they are.
public struct SDPParser: Sendable {
    /// Bounds that keep absurd inputs cheap to refuse.
    public struct Limits: Hashable, Sendable {
        /// Largest accepted input in bytes.
        public var maxBytes: Int
        /// Largest accepted number of lines.
        public var maxLines: Int

        /// Creates limits; 256 KiB and 4,096 lines by default, far above real SDP.
        public init(maxBytes: Int = 262_144, maxLines: Int = 4_096) {
            self.maxBytes = maxBytes
            self.maxLines = maxLines
        }
    }

    /// The limits this parser enforces.
    public var limits: Limits

    /// Creates a parser.
    /// - Parameter limits: size bounds (defaults are generous).
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses one session description.
    /// - Parameter bytes: UTF-8 text; invalid UTF-8 is repaired, not rejected.
    /// - Throws: `SDPError` with the 1-based line number and reason of the first problem.
    public func parse(_ bytes: some Collection<UInt8>) throws(SDPError) -> SessionDescription {
        guard bytes.count <= limits.maxBytes else {
            throw SDPError(.tooLarge, "\(bytes.count) bytes exceed the limit of \(limits.maxBytes)")
        }
        let lines = try splitLines(Array(bytes))
        guard let first = lines.first else {
            throw SDPError(.empty, "no SDP lines")
        }
        guard first.type == "v" else {
            throw SDPError(.missingField, line: first.number, "the first line must be v=")
        }
        guard first.value == "0" else {
            throw SDPError(.invalidField, line: first.number, "unsupported protocol version \(first.value)")
        }
        var builder = SDPDescriptionBuilder()
        for line in lines.dropFirst() {
            try builder.add(line)
        }
        return try builder.finish(lastLine: lines.last?.number ?? 1)
    }

    /// One non-blank `<type>=<value>` line.
    struct Line {
        /// 1-based line number in the input.
        var number: Int
        /// The type letter.
        var type: Character
        /// Everything after `=`, trailing whitespace removed.
        var value: String
    }

    /// Splits on LF, drops a trailing CR and trailing blanks, skips blank lines.
    private func splitLines(_ bytes: [UInt8]) throws(SDPError) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") {
                end += 1
            }
            number += 1
            var trimmedEnd = end
            while trimmedEnd > start && Self.isTrailingBlank(bytes[trimmedEnd - 1]) {
                trimmedEnd -= 1
            }
            if trimmedEnd > start {
                guard number <= limits.maxLines else {
                    throw SDPError(.tooLarge, line: number, "more than \(limits.maxLines) lines")
                }
                lines.append(try makeLine(bytes[start..<trimmedEnd], number: number))
            }
            start = end + 1
        }
        return lines
    }

    private static func isTrailingBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\r") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// RFC 8866 §5: `<type>=<value>`, `<type>` exactly one lower-case letter.
    private func makeLine(_ slice: ArraySlice<UInt8>, number: Int) throws(SDPError) -> Line {
        let typeByte = slice[slice.startIndex]
        guard slice.count >= 2, slice[slice.startIndex + 1] == UInt8(ascii: "=") else {
            throw SDPError(.malformedLine, line: number, "expected <type>=<value>")
        }
        guard typeByte >= UInt8(ascii: "a"), typeByte <= UInt8(ascii: "z") else {
            throw SDPError(.malformedLine, line: number, "the type must be one lower-case letter")
        }
        let value = String(decoding: slice[(slice.startIndex + 2)...], as: UTF8.self)
        return Line(number: number, type: Character(Unicode.Scalar(typeByte)), value: value)
    }
}
