// The part of the configuration a call's state machine needs, plus call
// control's own timings (not in sip.conf; defaults follow Asterisk habits).

public import Config

/// Per-call behaviour, copied into every ``CallStateMachine``.
public struct CallSettings: Sendable, Equatable {
    /// 180 only, or 183 with local ringback while the WhatsApp user is alerted.
    public var earlyMedia: EarlyMediaMode
    /// Whether a refused call (no permission) sends the permission request message.
    public var sendPermissionRequest: Bool
    /// The permission request message text.
    public var permissionRequestText: String
    /// How long inbound calls ring before the WhatsApp call is rejected.
    public var ringTimeout: Duration
    /// Outbound: how long to wait for the WhatsApp user to answer before giving up
    /// (Meta normally ends an unanswered call itself well before this).
    public var outboundAnswerTimeout: Duration
    /// How long ICE/DTLS may take after the call is answered before the call fails.
    public var mediaSetupTimeout: Duration
    /// `Retry-After` seconds for rate and concurrency limits when Meta gave none.
    public var defaultRetryAfter: Int
    /// Echo test: how long it rings (180) before the 200; zero answers at once.
    public var echoAnswerDelay: Duration = .zero
    /// Outbound: the time from the INVITE to `connect` answering (permission
    /// lookup, media, `connect`). Past it the caller gets 503 with Retry-After.
    public var setupBudget: Duration = .seconds(5)
    /// `Retry-After` seconds when Meta is slow, failing or the circuit breaker is open.
    public var unavailableRetryAfter: Int = 30
    /// The business number calls use when nothing picks another.
    public var defaultNumber = WhatsAppNumberID("")
    /// The `[transfer]` behaviour.
    public var transfer = TransferConfig()

    /// Creates settings.
    public init(earlyMedia: EarlyMediaMode = .ringing, sendPermissionRequest: Bool = false,
                permissionRequestText: String = "We would like to call you.", ringTimeout: Duration = .seconds(25),
                outboundAnswerTimeout: Duration = .seconds(90), mediaSetupTimeout: Duration = .seconds(10),
                defaultRetryAfter: Int = 60) {
        self.earlyMedia = earlyMedia
        self.sendPermissionRequest = sendPermissionRequest
        self.permissionRequestText = permissionRequestText
        self.ringTimeout = ringTimeout
        self.outboundAnswerTimeout = outboundAnswerTimeout
        self.mediaSetupTimeout = mediaSetupTimeout
        self.defaultRetryAfter = defaultRetryAfter
    }

    /// The settings of `config`, with call control's own defaults for the rest.
    public init(config: GatewayConfig) {
        self.init(earlyMedia: config.general.earlyMedia, sendPermissionRequest: config.whatsapp.sendPermissionRequest,
                  permissionRequestText: config.whatsapp.permissionRequestText,
                  ringTimeout: config.inbound.ringTimeout)
        echoAnswerDelay = config.general.echoAnswerDelay
        setupBudget = config.whatsapp.resilience.setupBudget
        unavailableRetryAfter = max(1, Int(config.whatsapp.resilience.breakerOpenTime.components.seconds))
        defaultNumber = WhatsAppNumberID(config.whatsapp.phoneNumberID)
        transfer = config.transfer
    }
}

/// The timers a call arms. Each fires at most once per arming.
public enum CallTimer: Sendable, Hashable, CustomStringConvertible {
    /// Inbound: the whole ringing time (`[inbound] ring_timeout`), inside Meta's window.
    case ringTimeout
    /// Inbound, sequential ring group: the current member's time.
    case memberTimeout(stage: Int)
    /// Outbound: the WhatsApp user did not answer.
    case answerTimeout
    /// ICE/DTLS did not complete in time after the answer.
    case mediaSetup
    /// Outbound: permission lookup and `connect` took longer than the setup budget.
    case setupBudget
    /// Echo test: the ringing time is over; answer.
    case echoAnswer
    /// A transfer target (the `xfer<attempt>` leg, or one stage of it) rang too long.
    case transferRing(attempt: Int)

    /// A short name for logs.
    public var description: String {
        switch self {
        case .ringTimeout: "ring_timeout"
        case .memberTimeout(let stage): "member_timeout(\(stage))"
        case .answerTimeout: "answer_timeout"
        case .mediaSetup: "media_setup"
        case .setupBudget: "setup_budget"
        case .echoAnswer: "echo_answer"
        case .transferRing(let attempt): "transfer_ring(\(attempt))"
        }
    }
}

/// Where an inbound call rings, resolved by ``InboundRouter``: stages rung one
/// after another; the targets of one stage ring in parallel.
public struct RingPlan: Sendable, Equatable {
    /// The stages, in order; empty means there is nowhere to ring.
    public var stages: [RingStage]
    /// The configured target, for records (`user:alice`, `group:sales`).
    public var targetName: String
    /// The business number the WhatsApp user called, `+E164`: the Request-URI
    /// user of INVITEs to a trunk without its own `dial`, so a PBX routes by DID.
    public var calledNumber: String?
    /// The called number's section name (`sales` of `[sales]` with `type = number`), shown to browser agents.
    public var calledNumberName: String?

    /// Creates a plan.
    public init(stages: [RingStage], targetName: String) {
        self.stages = stages
        self.targetName = targetName
    }
}

/// One set of targets rung together.
public struct RingStage: Sendable, Equatable {
    /// The contacts or trunk.
    public var targets: [SIPTarget]
    /// The caller number to present (after a trunk's outbound rewrite).
    public var callerNumber: String
    /// How long this stage rings before the next; nil rings until the ring timeout.
    public var timeout: Duration?

    /// Creates a stage.
    public init(targets: [SIPTarget], callerNumber: String, timeout: Duration? = nil) {
        self.targets = targets
        self.callerNumber = callerNumber
        self.timeout = timeout
    }
}
