public import SDP

/// What the ICE agent needs from the peer's SDP (RFC 8839 §5).
public struct ICERemoteDescription: Hashable, Sendable {
    /// The peer's ice-ufrag.
    public var ufrag: String
    /// The peer's ice-pwd: the MESSAGE-INTEGRITY key of our checks and their responses.
    public var pwd: String
    /// The peer's candidates. Non-UDP, non-RTP-component, non-IP (mDNS) ones and
    /// those of a family we have no local address for are skipped.
    public var candidates: [ICECandidate]
    /// Whether the peer declared `a=ice-lite` (then it sends no checks).
    public var isLite: Bool

    /// Creates a description.
    public init(ufrag: String, pwd: String, candidates: [ICECandidate], isLite: Bool = false) {
        self.ufrag = ufrag
        self.pwd = pwd
        self.candidates = candidates
        self.isLite = isLite
    }

    /// Takes the ICE parts of a parsed WebRTC offer or answer.
    public init(_ parameters: WebRTCRemoteParameters) {
        self.init(
            ufrag: parameters.iceUfrag, pwd: parameters.icePwd,
            candidates: parameters.candidates, isLite: parameters.isICELite
        )
    }
}
