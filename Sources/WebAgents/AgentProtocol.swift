// Names and limits of the `wagate.agent.v1` protocol that every part of the
// module shares.

/// The protocol's constants.
public enum AgentProtocol {
    /// The WebSocket subprotocol a client must offer.
    public static let subprotocol = "wagate.agent.v1"
    /// The protocol version `login` carries in `v`.
    public static let version = 1
    /// The largest text frame or message accepted, in bytes.
    public static let maxMessageBytes = 65_536
    /// The longest SDP accepted in `dial` and `answer`, in bytes.
    public static let maxSDPBytes = 32_768
    /// Bad messages after which the socket is closed with 1008.
    public static let maxBadMessages = 5
    /// Messages a socket may send per second (sustained); the burst is twice that.
    public static let messagesPerSecond = 20.0
    /// Seconds after the upgrade within which `login` must succeed.
    public static let loginDeadline = 10.0
    /// Server messages queued for one socket before it is closed with 1011.
    public static let outboundQueue = 256
    /// The scheme of a browser session's contact URI: `wagate-agent:<session>`.
    public static let contactScheme = "wagate-agent:"
}

/// WebSocket close codes the server uses (RFC 6455 §7.4.1).
public enum AgentCloseCode: UInt16, Sendable {
    /// Normal closure: `logout`, `bye`.
    case normal = 1000
    /// Going away: the gateway shuts down.
    case goingAway = 1001
    /// Policy violation: too many bad messages, or no login in time.
    case policy = 1008
    /// Internal error: the socket's outbound queue overflowed.
    case internalError = 1011
}
