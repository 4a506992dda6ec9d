/// Reception statistics for one RTP source, kept as RFC 3550 Appendix A
/// describes: sequence validation with probation and wrap (A.1), expected and
/// lost packets and the fraction lost per report interval (A.3), and
/// interarrival jitter (A.8). Produces the report block for an SR/RR (§6.4.1).
///
/// Time is always an input: arrival times in the stream's RTP clock units for
/// jitter, `NTPTimestamp`s for LSR/DLSR. Nothing here allocates, so `record`
/// can sit on the per-packet path. A value type: its owner (one call's event
/// loop) mutates it.
public struct RTPReceiveStatistics: Sendable {
    /// The source these statistics describe.
    public let ssrc: UInt32
    /// Sequential packets required before a new source is valid (MIN_SEQUENTIAL, A.1).
    public let minSequential: Int

    /// A jump larger than this is a restart or a misbehaving source (MAX_DROPOUT, A.1).
    public static let maxDropout: UInt16 = 3000
    /// Packets this far behind the highest are old, reordered ones (MAX_MISORDER, A.1).
    public static let maxMisorder: UInt16 = 100

    // State of RFC 3550 A.1 (`source`), internal for the +Report extension.
    var started = false
    var maxSequence: UInt16 = 0
    var cycles: UInt32 = 0
    var baseSequence: UInt32 = 0
    var badSequence: UInt32 = 0x1_0001
    var probation = 0
    var received: UInt32 = 0
    var expectedPrior: UInt32 = 0
    var receivedPrior: UInt32 = 0
    var transit: Int32 = 0
    var hasTransit = false
    var scaledJitter: UInt32 = 0
    var lastSenderReport: UInt32 = 0
    var lastSenderReportArrival: NTPTimestamp?

    /// Every packet passed to `record`, valid or not.
    public private(set) var packetsSeen: UInt64 = 0
    /// The fraction lost (in 1/256) put in the last report block.
    public internal(set) var lastFractionLost: UInt8 = 0

    /// Creates statistics for `ssrc`. `minSequential` is 2 in RFC 3550; 1
    /// accepts the first packet at once (for a source known from signalling).
    public init(ssrc: UInt32, minSequential: Int = 2) {
        self.ssrc = ssrc
        self.minSequential = max(1, minSequential)
    }

    /// Records one RTP packet. `arrival` is the arrival time in the same
    /// clock units as `timestamp` (e.g. 48000 per second for Opus). Returns
    /// false while the source is on probation or after a jump the source has
    /// not confirmed (RFC 3550 A.1 `update_seq`); the caller may drop those.
    @discardableResult
    public mutating func record(sequenceNumber: UInt16, timestamp: UInt32, arrival: UInt32) -> Bool {
        packetsSeen &+= 1
        if !started {
            started = true
            restart(at: sequenceNumber)
            maxSequence = sequenceNumber &- 1
            probation = minSequential
        }
        let (valid, inOrder) = updateSequence(sequenceNumber)
        if valid, inOrder {
            updateJitter(timestamp: timestamp, arrival: arrival)
        }
        return valid
    }

    /// RFC 3550 A.1 `update_seq`; returns (valid, advanced the highest sequence).
    private mutating func updateSequence(_ sequence: UInt16) -> (Bool, Bool) {
        let delta = sequence &- maxSequence
        if probation > 0 {
            if sequence == maxSequence &+ 1 {
                probation -= 1
                maxSequence = sequence
                if probation == 0 {
                    restart(at: sequence)
                    received &+= 1
                    return (true, true)
                }
            } else {
                probation = minSequential - 1
                maxSequence = sequence
            }
            return (false, false)
        }
        if delta < Self.maxDropout {
            if sequence < maxSequence { cycles &+= 0x1_0000 }
            maxSequence = sequence
            received &+= 1
            return (true, delta != 0)
        }
        if delta <= UInt16.max - Self.maxMisorder + 1 {
            // A large jump: accept it only if the next packet follows it (a restart).
            guard UInt32(sequence) == badSequence else {
                badSequence = (UInt32(sequence) + 1) & 0xffff
                return (false, false)
            }
            restart(at: sequence)
            hasTransit = false
            received &+= 1
            return (true, true)
        }
        // A duplicate or reordered packet.
        received &+= 1
        return (true, false)
    }

    /// RFC 3550 A.1 `init_seq`.
    private mutating func restart(at sequence: UInt16) {
        baseSequence = UInt32(sequence)
        maxSequence = sequence
        badSequence = 0x1_0001
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }

    /// RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16, kept scaled by 16.
    private mutating func updateJitter(timestamp: UInt32, arrival: UInt32) {
        let newTransit = Int32(bitPattern: arrival &- timestamp)
        defer {
            transit = newTransit
            hasTransit = true
        }
        guard hasTransit else { return }
        let d = newTransit &- transit
        let magnitude = d == .min ? UInt32(Int32.max) : UInt32(abs(d))
        scaledJitter = scaledJitter &+ magnitude &- ((scaledJitter &+ 8) >> 4)
    }
}
