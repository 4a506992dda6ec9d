/// A 64-bit NTP timestamp as RTCP carries it (RFC 3550 §4, RFC 5905 §6):
/// seconds since 1 January 1900 in the upper 32 bits, a binary fraction of a
/// second in the lower 32.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            seconds                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            fraction                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                 |<------- compact (middle 32 bits) ----->|
/// ```
/// The RTP module never reads a clock: callers pass timestamps in. Only
/// differences matter for LSR/DLSR and round-trip time, so any clock works for
/// those as long as one is used consistently; the SR's own timestamp should be
/// wallclock (`init(unixNanoseconds:)`).
public struct NTPTimestamp: Sendable, Hashable, Comparable {
    /// The 64-bit value: seconds << 32 | fraction.
    public var rawValue: UInt64

    /// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    /// Creates a timestamp from its 64-bit value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Creates a timestamp from its two 32-bit halves.
    public init(seconds: UInt32, fraction: UInt32) {
        rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    /// Creates a timestamp from nanoseconds since the NTP epoch (or any epoch
    /// the caller uses consistently).
    public init(nanoseconds: UInt64) {
        let seconds = nanoseconds / 1_000_000_000
        let remainder = nanoseconds % 1_000_000_000
        rawValue = seconds << 32 | (remainder << 32) / 1_000_000_000
    }

    /// Creates a timestamp from nanoseconds since the Unix epoch (1970).
    public init(unixNanoseconds: UInt64) {
        self.init(nanoseconds: unixNanoseconds &+ Self.unixEpochOffset &* 1_000_000_000)
    }

    /// Whole seconds (upper 32 bits).
    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }

    /// Fraction of a second in units of 2^-32 s (lower 32 bits).
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// The middle 32 bits (16.16 fixed point seconds), as LSR and DLSR use
    /// them (RFC 3550 §6.4.1).
    public var compact: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// Nanoseconds from `earlier` to `self`; negative when `self` is earlier.
    public func nanoseconds(since earlier: NTPTimestamp) -> Int64 {
        let delta = Int64(bitPattern: rawValue &- earlier.rawValue)
        // Split so that the multiplication cannot overflow for deltas of years.
        let seconds = delta >> 32
        let fraction = delta & 0xffff_ffff
        return seconds * 1_000_000_000 + (fraction * 1_000_000_000) >> 32
    }

    /// A duration given in compact NTP units (1/65536 s), as DLSR and
    /// round-trip times are.
    public static func duration(compactUnits units: UInt32) -> Duration {
        .nanoseconds(Int64(units) * 1_000_000_000 / 65_536)
    }

    /// Compact NTP units (1/65536 s) for a duration, saturating at UInt32.max
    /// and clamping negative durations to 0.
    public static func compactUnits(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let units = seconds.multipliedReportingOverflow(by: 65_536)
        guard !units.overflow else { return .max }
        let total = units.partialValue + attoseconds / 15_258_789_062_500  // 1e18 / 65536
        return total > Int64(UInt32.max) ? .max : UInt32(total)
    }

    /// Orders by the 64-bit value (timestamps within 68 years of each other).
    public static func < (lhs: NTPTimestamp, rhs: NTPTimestamp) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
