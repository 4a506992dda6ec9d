/// The media direction attributes `sendrecv`, `sendonly`, `recvonly` and `inactive`
/// (RFC 8866 §6.7, RFC 3264 §5.1, §6.1), seen from the side that writes them.
public enum MediaDirection: String, Hashable, Sendable, CaseIterable {
    /// Send and receive (the default when no direction attribute is present).
    case sendrecv
    /// Send only; the usual "I put you on hold" re-offer.
    case sendonly
    /// Receive only.
    case recvonly
    /// Neither send nor receive.
    case inactive

    /// Creates the direction from its two halves.
    /// - Parameters:
    ///   - sends: whether the writer sends media.
    ///   - receives: whether the writer receives media.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// Whether the writer sends media.
    public var sends: Bool {
        self == .sendrecv || self == .sendonly
    }

    /// Whether the writer receives media.
    public var receives: Bool {
        self == .sendrecv || self == .recvonly
    }

    /// The same stream seen from the other side: `sendonly` ⇄ `recvonly`.
    public var reversed: MediaDirection {
        MediaDirection(sends: receives, receives: sends)
    }

    /// The answer's direction for an offer with direction `self` when the answerer
    /// wishes `wish` (RFC 3264 §6.1): the answerer may send only if the offerer
    /// receives, and may receive only if the offerer sends.
    /// - Parameter wish: what the answerer would like to do.
    public func answer(wishing wish: MediaDirection) -> MediaDirection {
        MediaDirection(sends: wish.sends && receives, receives: wish.receives && sends)
    }

    /// The attribute (`a=sendrecv`, …).
    public var attribute: SDPAttribute {
        SDPAttribute(rawValue)
    }
}
