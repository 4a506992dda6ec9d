/// Whether an SDP puts the stream on hold, and how (RFC 3264 §8.4).
public enum HoldState: String, Hashable, Sendable {
    /// Not on hold (`sendrecv`, or `recvonly` with a usable address).
    case active
    /// The writer holds the other side: it sends (music on hold) but does not receive.
    case sendonly
    /// Neither side sends.
    case inactive
    /// RFC 2543 style: `c=IN IP4 0.0.0.0`.
    case legacyZeroAddress

    /// Whether this is any kind of hold.
    public var isHold: Bool {
        self != .active
    }
}
