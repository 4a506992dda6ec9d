/// What a live call's bridge does with the audio: which kind of business side it
/// has and whether Opus passes through untouched (a browser, an Opus phone) or is
/// encoded and decoded (a G.711/G.722 phone).
public struct AdminMedia: Codable, Sendable, Equatable {
    /// `sip` (a phone or trunk over RTP) or `browser` (a web phone over WebRTC).
    public var businessLeg: String
    /// True when Opus frames are relayed without decoding.
    public var passThrough: Bool
    /// Opus frames the bridge encoded so far.
    public var opusEncodedFrames: Int
    /// Opus frames the bridge decoded so far.
    public var opusDecodedFrames: Int

    /// Creates the figures.
    public init(businessLeg: String, passThrough: Bool, opusEncodedFrames: Int, opusDecodedFrames: Int) {
        self.businessLeg = businessLeg
        self.passThrough = passThrough
        self.opusEncodedFrames = opusEncodedFrames
        self.opusDecodedFrames = opusDecodedFrames
    }
}
