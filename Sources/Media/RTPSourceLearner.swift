public import NIOCore

/// An address RTP can come from, as far as source learning needs it.
public protocol RTPSourceAddress: Equatable, Sendable {
    /// Whether both addresses have the same IP (the port may differ).
    func sameHost(as other: Self) -> Bool
}

/// Decides, packet by packet, whether RTP from a source is taken, and which
/// source a call's media is latched onto (symmetric RTP, RFC 4961). The same
/// idea as Asterisk's `strictrtp` with `probation` and rtpengine's learning:
///
/// - The exact address of the SDP (`c=`/`m=`) is taken on its first packet,
///   and takes the latch back from any other source at once.
/// - Another port on the SDP's IP, or (only when `learnsAnySource`, i.e. a
///   `nat = yes` phone) any other address, is learnt only after `probation`
///   packets in a row that the caller has parsed as RTP with a negotiated
///   payload type (and authenticated, with SRTP), with one SSRC and
///   sequence numbers increasing by one.
/// - Once a source is latched, another source replaces it only when it passes
///   the same probation while the latched source has been silent for
///   `relearnSilence` (a phone whose NAT binding changed), never because of a
///   burst between two packets of a live stream.
///
/// The caller checks `mayAdmit` before any parsing or decryption, and calls
/// `admit` only for packets that parsed: a packet that fails to parse never
/// moves the latch. Pure value type: no allocation, no clock, no I/O.
public struct RTPSourceLearner<Source: RTPSourceAddress>: Sendable {
    /// What to do with a packet.
    public enum Verdict: Sendable, Equatable {
        /// From the latched source: use it.
        case accept
        /// The source was just latched (first source, or a re-learn): use it, send there from now on.
        case learned
        /// Not (yet) from an accepted source: drop it.
        case drop
    }

    /// Packets in a row a new source must send before it is latched (at least 1).
    public let probation: Int
    /// Whether a source outside the SDP's IP may be learnt (phones behind NAT).
    public let learnsAnySource: Bool
    /// How long the latched source must have been silent before another replaces it (ns).
    public let relearnSilence: UInt64
    /// The latched source, if any.
    public private(set) var current: Source?
    /// The SDP's address (nil: none, e.g. a legacy hold).
    public private(set) var signalled: Source?
    private var candidate: Source?
    private var candidateSSRC: UInt32 = 0
    private var candidateSequence: UInt16 = 0
    private var candidateCount = 0
    private var currentSeenAt: UInt64 = 0

    /// Creates a learner with nothing latched.
    public init(probation: Int, learnsAnySource: Bool, relearnSilence: UInt64 = 1_000_000_000) {
        self.probation = max(1, probation)
        self.learnsAnySource = learnsAnySource
        self.relearnSilence = relearnSilence
    }

    /// A new SDP address (answer, re-INVITE): forgets the latch and any probation.
    public mutating func reset(signalled: Source?) {
        self.signalled = signalled
        current = nil
        candidate = nil
        candidateCount = 0
    }

    /// The cheap test before parsing or decryption: whether a packet from
    /// `source` could be taken at all.
    public func mayAdmit(_ source: Source) -> Bool {
        if let current, current == source { return true }
        if learnsAnySource { return true }
        guard let signalled else { return false }
        return signalled.sameHost(as: source)
    }

    /// Takes the verdict on a packet that parsed as RTP with a negotiated payload type.
    /// - Parameter now: monotonic time in nanoseconds.
    public mutating func admit(_ source: Source, ssrc: UInt32, sequence: UInt16, now: UInt64) -> Verdict {
        if let current, current == source {
            currentSeenAt = now
            candidate = nil
            candidateCount = 0
            return .accept
        }
        guard mayAdmit(source) else { return .drop }
        // The SDP's own address wins at once, even over a source learnt before
        // it spoke (a stranger racing the phone's first packet): our replies go
        // to that address anyway, so spoofing it gains nothing.
        if let signalled, source == signalled {
            current = source
            currentSeenAt = now
            candidate = nil
            candidateCount = 0
            return .learned
        }
        if let candidate, candidate == source, ssrc == candidateSSRC, sequence == candidateSequence &+ 1 {
            candidateCount += 1
        } else {
            candidate = source
            candidateSSRC = ssrc
            candidateCount = 1
        }
        candidateSequence = sequence
        guard candidateCount >= probation else { return .drop }
        if current != nil, now &- currentSeenAt < relearnSilence { return .drop }
        current = source
        currentSeenAt = now
        candidate = nil
        candidateCount = 0
        return .learned
    }
}

extension SocketAddress: RTPSourceAddress {
    /// Whether both addresses have the same IP (the port may differ).
    public func sameHost(as other: SocketAddress) -> Bool {
        switch (self, other) {
        case let (.v4(x), .v4(y)): x.address.sin_addr.s_addr == y.address.sin_addr.s_addr
        case let (.v6(x), .v6(y)):
            withUnsafeBytes(of: x.address.sin6_addr) { p in withUnsafeBytes(of: y.address.sin6_addr) { q in p.elementsEqual(q) } }
        default: false
        }
    }
}
