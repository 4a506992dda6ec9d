// The one error type of the Config module: every problem found in a
// configuration file, each with the file and line a user needs to fix it.

/// One problem found while loading or validating a configuration file.
///
/// Its `description` is `FILE:LINE: message`, the form compilers use, so editors
/// can jump to the offending line. `line` is 1-based; it is 0 only when the
/// file itself could not be read.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file name as given to the loader (for example `sip.conf`).
    public var file: String
    /// The 1-based line of the offending key, or of the section header when a
    /// required key is missing; 0 only when the file could not be read at all.
    public var line: Int
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates a problem report.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// The error thrown by ``ConfigLoader``: all problems found, sorted by line.
///
/// Validation never stops at the first problem; a user fixes a whole file in
/// one pass. `description` lists one `FILE:LINE: message` per line.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, sorted by line (stable for problems on one line).
    public var problems: [ConfigProblem]

    /// Creates an error holding `problems`, sorted by line.
    public init(problems: [ConfigProblem]) {
        self.problems = problems.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
    }

    /// One `FILE:LINE: message` per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems while a file is parsed and validated.
///
/// A reference type so the many small validation steps can share one log
/// without threading `inout` through every call; it never leaves one load.
final class ProblemLog {
    /// The file name used in every problem.
    let file: String
    /// Problems in the order they were found.
    private(set) var problems: [ConfigProblem] = []

    /// Creates an empty log for `file`.
    init(file: String) {
        self.file = file
    }

    /// Records `message` at `line` (clamped to at least 1: line 0 is reserved
    /// for an unreadable file).
    func add(line: Int, _ message: String) {
        problems.append(ConfigProblem(file: file, line: max(line, 1), message: message))
    }

    /// True when nothing has been recorded.
    var isEmpty: Bool { problems.isEmpty }
}
