/// A point in time given to the ICE state machines as an input.
///
/// Nanoseconds since any fixed origin the driver chooses; only differences
/// matter. A SwiftNIO driver uses `NIODeadline.now().uptimeNanoseconds` and
/// schedules `nextTimeout()` back as `NIODeadline.uptimeNanoseconds(...)`; tests
/// start at zero and advance a simulated clock.
public struct ICEInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the driver's origin.
    public var nanoseconds: Int64

    /// Creates an instant.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The origin.
    public static let zero = ICEInstant(nanoseconds: 0)

    /// Orders instants.
    public static func < (lhs: ICEInstant, rhs: ICEInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// An instant a duration later.
    public static func + (lhs: ICEInstant, rhs: Duration) -> ICEInstant {
        ICEInstant(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }

    /// The duration between two instants.
    public static func - (lhs: ICEInstant, rhs: ICEInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// `12.345s`.
    public var description: String {
        let millis = nanoseconds / 1_000_000
        let fraction = String(abs(millis % 1000))
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction + "s"
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
