// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

import Foundation

/// A lock-protected value.
/// `@unchecked Sendable`: every access goes through `lock`.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    public var current: Value { withValue { $0 } }
}

/// The ordered record of every port call.
public final class Journal: Sendable {
    public init() {}

    private let lines = Locked<[String]>([])

    public func append(_ line: String) { lines.withValue { $0.append(line) } }
    public var all: [String] { lines.current }
    public func clear() { lines.withValue { $0.removeAll() } }

    /// Lines starting with `prefix`.
    public func matching(_ prefix: String) -> [String] { all.filter { $0.hasPrefix(prefix) } }
    public func count(_ prefix: String) -> Int { matching(prefix).count }
    public func contains(_ line: String) -> Bool { all.contains(line) }
    /// The index of the first line equal to `line`.
    public func index(of line: String) -> Int? { all.firstIndex(of: line) }
}
