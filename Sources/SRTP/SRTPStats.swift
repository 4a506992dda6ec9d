/// Counters of one `SRTPSession`. Packet failures are counted here instead of
/// being logged (a media leg reports them with its periodic stats).
public struct SRTPStats: Sendable, Hashable {
    /// RTP packets protected.
    public var rtpProtected: UInt64 = 0
    /// SRTP packets unprotected successfully.
    public var rtpUnprotected: UInt64 = 0
    /// RTCP packets protected.
    public var rtcpProtected: UInt64 = 0
    /// SRTCP packets unprotected successfully.
    public var rtcpUnprotected: UInt64 = 0
    /// Packets whose authentication tag failed (RTP and RTCP).
    public var authenticationFailures: UInt64 = 0
    /// Packets refused by the replay window (RTP and RTCP).
    public var replays: UInt64 = 0
    /// Any other failure, either direction (short packet, no trailer room, …).
    public var otherFailures: UInt64 = 0

    /// All counters zero.
    public init() {}

    /// Every failure counted.
    public var failures: UInt64 {
        authenticationFailures &+ replays &+ otherFailures
    }
}
