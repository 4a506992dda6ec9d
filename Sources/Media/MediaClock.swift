public import NIOCore

/// The time source of a call's media timers: the SIP leg's RTP inactivity
/// timeout, RTCP report pacing, the WhatsApp leg's ICE checks and consent
/// freshness (RFC 7675), DTLS retransmission and the setup deadline, symmetric
/// RTP probation and the jitter figures. Readings are monotonic `NIODeadline`s.
///
/// The default, `system`, reads the monotonic clock directly (no indirect
/// call). A clock built from a function is for tests that move time by hand:
/// the leg's timers still wake on the event loop's own clock, and at each wake
/// they judge what is due by this clock, so a timeout passed by a manual
/// advance fires at the next wake (at most 250 ms later on the SIP leg, one
/// ICE/DTLS timer step on the WhatsApp leg). The 20 ms frame pacing
/// (`MediaTicker`) is shared by every call on a loop and always runs on the
/// loop's clock. Reading the clock allocates nothing and takes no lock.
public struct MediaClock: Sendable {
    private let read: (@Sendable () -> NIODeadline)?

    /// The monotonic clock of the host (`NIODeadline.now()`).
    public static let system = MediaClock(read: nil)

    /// A clock that reads `now`, which must be monotonic and cheap: it is called per packet.
    public init(now: @escaping @Sendable () -> NIODeadline) {
        read = now
    }

    private init(read: (@Sendable () -> NIODeadline)?) {
        self.read = read
    }

    /// The current time.
    @inline(__always)
    public func now() -> NIODeadline {
        if let read { return read() }
        return .now()
    }

    /// The current time in nanoseconds of uptime, as the protocol cores take it.
    @inline(__always)
    public func uptimeNanoseconds() -> UInt64 {
        now().uptimeNanoseconds
    }

    /// How long from now until `deadline` (zero when it has passed), for a timer
    /// armed on the event loop's clock.
    public func delay(until deadline: NIODeadline) -> TimeAmount {
        let remaining = deadline - now()
        return remaining > .zero ? remaining : .zero
    }
}
