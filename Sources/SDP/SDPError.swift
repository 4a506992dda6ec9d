/// The one error type of the `SDP` module.
///
/// Parse errors carry the 1-based line number of the offending line (when the
/// error belongs to a line) and a human-readable reason; `kind` lets callers
/// branch without matching on text.
public struct SDPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, independent of the wording of `reason`.
    public enum Kind: String, Hashable, Sendable {
        /// The input is empty or holds only blank lines.
        case empty
        /// The input exceeds the size or line-count limits (see `SDPParser.Limits`).
        case tooLarge
        /// A line is not of the form `<type>=<value>` (RFC 8866 §5).
        case malformedLine
        /// A line type letter the parser does not know (RFC 8866 §5 says reject).
        case unknownLineType
        /// A line type that is not allowed where it appears (e.g. `o=` inside a media section).
        case unexpectedLine
        /// A mandatory field (`v=`, `o=`, `s=`) is missing.
        case missingField
        /// A field has a value that does not follow its grammar.
        case invalidField
        /// An attribute value does not follow its grammar (typed accessors and builders).
        case invalidAttribute
        /// A description lacks something a caller needs (e.g. no audio stream, no ICE credentials).
        case missingAttribute
        /// A parameter given to a builder is out of range.
        case invalidParameter
    }

    /// The category of the error.
    public var kind: Kind
    /// The 1-based line number in the parsed input, when the error belongs to a line.
    public var line: Int?
    /// A short human-readable explanation, suitable for logs and SIP Warning headers.
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: the category.
    ///   - line: the 1-based line number, if any.
    ///   - reason: a human-readable explanation.
    public init(_ kind: Kind, line: Int? = nil, _ reason: String) {
        self.kind = kind
        self.line = line
        self.reason = reason
    }

    /// `"SDP line 4: invalid field: …"`, or without the line part when there is none.
    public var description: String {
        if let line {
            return "SDP line \(line): \(kind.rawValue): \(reason)"
        }
        return "SDP: \(kind.rawValue): \(reason)"
    }
}
