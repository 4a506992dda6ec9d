// The private states of CallStateMachine and the data each carries.

extension CallStateMachine {
    /// Where a call is.
    enum State: Sendable {
        case outbound(OutboundCall, OutboundPhase)
        case inbound(InboundCall, InboundPhase)
        case ended(CallEnding)

        var name: String {
            switch self {
            case .outbound(_, let phase): "outbound.\(phase.name)"
            case .inbound(_, let phase): "inbound.\(phase.name)"
            case .ended: "ended"
            }
        }
    }

    /// What an outbound call is, whatever its phase.
    struct OutboundCall: Sendable {
        var invite: IncomingInvite
        /// The WhatsApp user, `+E164`.
        var user: String
    }

    /// The phases of an outbound call.
    enum OutboundPhase: Sendable {
        case checkingPermission
        case openingMedia
        case setup(OutboundSetup)
        case answered(OutboundMediaSession)

        var name: String {
            switch self {
            case .checkingPermission: "checking_permission"
            case .openingMedia: "opening_media"
            case .setup: "setup"
            case .answered: "answered"
            }
        }
    }

    /// What an outbound call collects between `connect` and the SIP 200, in any order.
    struct OutboundSetup: Sendable {
        var session: OutboundMediaSession
        var alerted = false
        var accepted = false
        var answerSDP: String?
        var mediaConnected = false

        init(session: OutboundMediaSession) { self.session = session }

        /// ICE/DTLS done, ACCEPTED seen and the answer SDP applied: the SIP 200 may go.
        var readyToAnswer: Bool { accepted && answerSDP != nil && mediaConnected }
    }

    /// What an inbound call is, whatever its phase.
    struct InboundCall: Sendable {
        var wacid: WACID
        /// The WhatsApp user, `+E164`.
        var caller: String
        var profileName: String?
        var offer: String?
        var plan: RingPlan
    }

    /// The phases of an inbound call.
    enum InboundPhase: Sendable {
        case openingMedia
        case ringing(InboundRinging)
        case accepting(leg: SIPLegID, session: InboundMediaSession)
        case connected(leg: SIPLegID, session: InboundMediaSession)

        var name: String {
            switch self {
            case .openingMedia: "opening_media"
            case .ringing: "ringing"
            case .accepting: "accepting"
            case .connected: "connected"
            }
        }
    }

    /// An inbound call while SIP targets ring.
    struct InboundRinging: Sendable {
        var session: InboundMediaSession
        var stage: Int
        var leg: SIPLegID
        var preAccepted = false
    }
}
