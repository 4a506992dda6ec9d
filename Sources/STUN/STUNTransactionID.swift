/// The 96-bit transaction id (RFC 8489 §5, §6.3.1: uniformly random).
///
/// Stored as two integers so it is compared and hashed without allocation. The
/// module never invents one: callers pass bytes or a random number generator.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits, big-endian.
    public var high: UInt64
    /// The last 32 bits, big-endian.
    public var low: UInt32

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }

    /// Creates an id from exactly 12 bytes; nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        for (offset, byte) in bytes.enumerated() {
            if offset < 8 {
                high = (high << 8) | UInt64(byte)
            } else {
                low = (low << 8) | UInt32(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// Draws a fresh id from a random number generator (inject
    /// `SystemRandomNumberGenerator` in production, a seeded one in tests).
    public init(using generator: inout some RandomNumberGenerator) {
        self.init(high: generator.next(), low: UInt32(truncatingIfNeeded: generator.next() as UInt64))
    }

    /// The 12 wire bytes.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(12)
        append(to: &result)
        return result
    }

    /// Appends the 12 wire bytes to `buffer`.
    public func append(to buffer: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: low >> UInt32(shift)))
        }
    }

    /// 24 lower-case hex digits.
    public var description: String {
        let hex = String(high, radix: 16) + "|" + String(low, radix: 16)
        let parts = hex.split(separator: "|")
        return String(repeating: "0", count: 16 - parts[0].count) + parts[0]
            + String(repeating: "0", count: 8 - parts[1].count) + parts[1]
    }
}
