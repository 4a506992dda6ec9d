// What a callback call is: whom it rings on the SIP side and which WhatsApp
// user it connects them to.

/// Where a callback rings: the refused caller, reached as calls to it are.
public struct CallbackTarget: Sendable, Equatable {
    /// The owner key of the user or trunk called back (``Admission/ownerKey(_:)``), for records and limits.
    public var name: String
    /// A user's registered contacts, or the trunk.
    public var targets: [SIPTarget]
    /// The caller number presented (the WhatsApp user's `+E164` or BSUID, after
    /// a trunk's outbound rewrite).
    public var callerNumber: String
    /// A trunk's Request-URI user: the original caller's From user (over the trunk's `dial`).
    public var requestUser: String?

    /// Creates a target.
    public init(name: String, targets: [SIPTarget], callerNumber: String, requestUser: String? = nil) {
        self.name = name
        self.targets = targets
        self.callerNumber = callerNumber
        self.requestUser = requestUser
    }
}

/// A callback call, whatever its phase.
public struct CallbackCall: Sendable, Equatable {
    /// The WhatsApp user who granted permission (every identifier known).
    public var user: WhatsAppUser
    /// Where the SIP leg rings.
    public var target: CallbackTarget

    /// Creates a callback call.
    public init(user: WhatsAppUser, target: CallbackTarget) {
        self.user = user
        self.target = target
    }
}

extension CallStateMachine {
    /// The phases of a callback call.
    enum CallbackPhase: Sendable {
        /// Waiting for the media bridge.
        case openingMedia
        /// The INVITE to the caller is out.
        case ringingPhone(OutboundMediaSession)
        /// The caller answered; `connect` sent, collecting RINGING, the answer, ACCEPTED and ICE/DTLS.
        case connecting(OutboundSetup)
        /// Bridged both ways.
        case connected(OutboundMediaSession)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .openingMedia: "opening_media"
            case .ringingPhone: "ringing_phone"
            case .connecting: "connecting"
            case .connected: "connected"
            }
        }
    }
}
