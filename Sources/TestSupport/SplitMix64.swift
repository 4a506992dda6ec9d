// Test support: the one seeded random generator of the test suites. Not shipped.

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seeded generator,
/// so fuzz and property tests draw the same inputs on every run and a failure
/// can be replayed from its seed. Not for anything secret.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator state; each draw advances it by the golden-ratio increment.
    public var state: UInt64

    /// Starts from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
