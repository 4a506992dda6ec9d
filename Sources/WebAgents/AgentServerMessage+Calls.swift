// The call-related payloads of server messages.

/// Why an offered call stopped ringing on this browser.
public enum AgentCancelReason: String, Sendable, Equatable {
    /// Another phone or browser answered first.
    case answeredElsewhere = "answered_elsewhere"
    /// The caller hung up before anyone answered.
    case callerHungUp = "caller_hung_up"
    /// Nobody answered in time.
    case noAnswer = "no_answer"
    /// The call was transferred away before it was answered here.
    case transferred
}

/// A party of an `incoming` call: a WhatsApp user or an internal caller.
public struct AgentParty: Sendable, Equatable {
    /// E.164 number, when known.
    public var number: String?
    /// Business-scoped user id, when known.
    public var bsuid: String?
    /// WhatsApp username, when known.
    public var username: String?
    /// Profile or display name, when known.
    public var name: String?

    /// Creates a party.
    public init(number: String? = nil, bsuid: String? = nil, username: String? = nil, name: String? = nil) {
        self.number = number
        self.bsuid = bsuid
        self.username = username
        self.name = name
    }
}

/// `incoming`: a call offered to the browser with wagate's SDP offer.
public struct AgentIncoming: Sendable, Equatable {
    /// The call's agent id.
    public var call: String
    /// wagate's offer.
    public var sdp: String
    /// The caller.
    public var from: AgentParty
    /// The business number called and its section name.
    public var to: AgentParty
    /// Meta's CTA payload, when sent.
    public var ctaPayload: String?
    /// Meta's deeplink payload, when sent.
    public var deeplinkPayload: String?
    /// `whatsapp`, `internal`, `callback` or `transfer`.
    public var direction: String
    /// The user who transferred the call, if any.
    public var referredBy: String?
    /// The agent call this one replaces (answer at once), if any.
    public var replaces: String?
    /// Whether the page should answer without asking.
    public var autoAnswer: Bool

    /// Creates an incoming call.
    public init(call: String, sdp: String, from: AgentParty, to: AgentParty, ctaPayload: String? = nil,
                deeplinkPayload: String? = nil, direction: String = "whatsapp", referredBy: String? = nil,
                replaces: String? = nil, autoAnswer: Bool = false) {
        self.call = call
        self.sdp = sdp
        self.from = from
        self.to = to
        self.ctaPayload = ctaPayload
        self.deeplinkPayload = deeplinkPayload
        self.direction = direction
        self.referredBy = referredBy
        self.replaces = replaces
        self.autoAnswer = autoAnswer
    }
}

/// `ended`.
public struct AgentEnded: Sendable, Equatable {
    /// The call's agent id.
    public var call: String
    /// The end reason (call control's `CallEndReason` raw value).
    public var reason: String
    /// Who ended it: `agent`, `whatsapp`, `gateway` or `sip`.
    public var by: String
    /// The SIP status that ended it, if any.
    public var sipStatus: Int?
    /// A text for people, if any.
    public var detail: String?

    /// Creates an end notice.
    public init(call: String, reason: String, by: String, sipStatus: Int? = nil, detail: String? = nil) {
        self.call = call
        self.reason = reason
        self.by = by
        self.sipStatus = sipStatus
        self.detail = detail
    }
}

/// `permission`: where a call permission for a WhatsApp user stands.
public struct AgentPermissionNotice: Sendable, Equatable {
    /// The WhatsApp user (number or BSUID).
    public var to: String
    /// `missing`, `requested`, `granted` or `denied`.
    public var status: String
    /// Whether the page may offer to send a request.
    public var canRequest: Bool
    /// Whether a request was sent.
    public var requestSent: Bool
    /// When a granted permission expires (RFC 3339).
    public var expiresAt: String?
    /// Seconds until a new request may be sent.
    public var retryAfter: Int?

    /// Creates a notice.
    public init(to: String, status: String, canRequest: Bool, requestSent: Bool,
                expiresAt: String? = nil, retryAfter: Int? = nil) {
        self.to = to
        self.status = status
        self.canRequest = canRequest
        self.requestSent = requestSent
        self.expiresAt = expiresAt
        self.retryAfter = retryAfter
    }
}

/// `transfer`: a transfer's progress.
public struct AgentTransferNotice: Sendable, Equatable {
    /// The transferred call.
    public var call: String
    /// `trying`, `ringing`, `completed`, `failed` or `returned`.
    public var state: String
    /// The target.
    public var to: String
    /// The target's SIP status, if any.
    public var sipStatus: Int?

    /// Creates a notice.
    public init(call: String, state: String, to: String, sipStatus: Int? = nil) {
        self.call = call
        self.state = state
        self.to = to
        self.sipStatus = sipStatus
    }
}

/// One call of `history`.
public struct AgentHistoryEntry: Sendable, Equatable {
    /// Start time (RFC 3339).
    public var startedAt: String
    /// `inbound` or `outbound`.
    public var direction: String
    /// The WhatsApp user or other party.
    public var peer: String
    /// Their name, when known.
    public var peerName: String?
    /// Seconds answered.
    public var durationSeconds: Int
    /// `answered`, `missed`, `failed`, …
    public var outcome: String

    /// Creates an entry.
    public init(startedAt: String, direction: String, peer: String, peerName: String?, durationSeconds: Int, outcome: String) {
        self.startedAt = startedAt
        self.direction = direction
        self.peer = peer
        self.peerName = peerName
        self.durationSeconds = durationSeconds
        self.outcome = outcome
    }
}
