// Secrets (passwords, tokens) kept out of logs by construction.

/// A secret value (a SIP password, an API token) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation, `dump` and
/// reflection all show `******`. Code that needs the value calls
/// ``reveal()``, which makes every use easy to find in review.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The hidden value.
    private let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// The secret value itself. Never log it.
    public func reveal() -> String { value }

    /// True when the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    /// Compares with `candidate` in time that depends only on the lengths, not
    /// on where the first difference is.
    public func matches(_ candidate: String) -> Bool {
        let left = Array(value.utf8), right = Array(candidate.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }

    /// Always `******`.
    public var description: String { "******" }

    /// Always `******`.
    public var debugDescription: String { "******" }

    /// A mirror with no children, so `dump` and debuggers show nothing inside.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
