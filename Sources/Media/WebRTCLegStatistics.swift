/// Counters of one WebRTC leg.
public struct WebRTCLegStatistics: Sendable, Equatable {
    /// The negotiated audio codec (`opus`, `PCMU` or `PCMA`); empty before `start`.
    public var codec = ""
    /// RTP packets sent.
    public var packetsSent = 0
    /// RTP packets received and decoded.
    public var packetsReceived = 0
    /// Packets lost (sequence gaps), concealed by FEC or PLC.
    public var packetsLost = 0
    /// Frames recovered from in-band FEC.
    public var recoveredByFEC = 0
    /// SRTP authentication/replay failures.
    public var srtpFailures = 0
    /// DTLS, SRTP and SRTCP datagrams dropped because they did not come from the ICE-selected (or validated)
    /// peer, or on an SDES leg from the address and RTCP port the SDP negotiated.
    public var foreignDropped = 0
    /// RTCP packets sent and received.
    public var rtcpSent = 0
    /// RTCP packets received.
    public var rtcpReceived = 0
    /// Round-trip time from the peer's last report block about us, in ms.
    public var roundTripMs: Double?
    /// Interarrival jitter of what we receive (RFC 3550 A.8), in ms.
    public var jitterMs = 0.0
    /// 20 ms frames the leg's Opus encoder produced (0 in pass-through).
    public var opusEncodedFrames = 0
    /// Frames the leg's Opus decoder produced, FEC and concealment included (0 in pass-through).
    public var opusDecodedFrames = 0
    /// Creates zeroed counters.
    public init() {}
}
