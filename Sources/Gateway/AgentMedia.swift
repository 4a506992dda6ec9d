import CallControl

/// The media side of browser agents, as the agent signalling adapter needs it: wagate's
/// offer to each ringing browser of an inbound call, the winner's answer attaching its
/// leg to the call's bridge (Opus pass-through to WhatsApp), and the losers' legs
/// released. A browser that dials out needs nothing here: its WebRTC offer goes to
/// `MediaControl.openOutbound` like a phone's SDP, which detects it
/// (`SDPMediaProfile.webRTC`) and answers as the browser leg.
///
/// `fork` is the adapter's name for one ringing browser (its agent contact), unique
/// within the call.
protocol AgentMedia: Sendable {
    /// wagate's SDP offer to one browser fork of an inbound call (ICE-lite, DTLS server,
    /// Opus shaped by the WhatsApp leg's fmtp). Each fork gets its own leg and port.
    /// - Throws: `MediaFailure` when the call has no bridge or no port is free.
    func offerForAgent(call: CallID, fork: String) async throws(MediaFailure) -> String

    /// The browser that answered: its SDP answer starts ICE/DTLS on its leg, the leg
    /// becomes the call's business side, and every other fork's leg is closed.
    /// - Throws: `MediaFailure` when the fork is unknown or its SDP unusable.
    func agentAnswered(call: CallID, fork: String, sdp: String) async throws(MediaFailure)

    /// wagate's answer to a dialling browser's offer (built by `openOutbound`), so that a
    /// 180 without SDP can carry it: the browser's ICE and DTLS finish while the
    /// WhatsApp user's phone rings. Nil when the call has no browser side.
    func answerForAgent(call: CallID) async -> String?

    /// A fork that stopped ringing (rejected, cancelled, gone): its leg is closed.
    func releaseAgentFork(call: CallID, fork: String) async

    /// The browser side of `call` leaves its bridge (its transfer completed): the leg
    /// is closed, and the next business side is bridged to WhatsApp alone.
    func detachAgentSide(call: CallID) async
}

/// Fork names shared by the agent adapter and the media side.
enum AgentFork {
    /// The one fork of a browser's own dial (an inbound fork is named by its agent call id).
    static let outbound = "outbound"
}
