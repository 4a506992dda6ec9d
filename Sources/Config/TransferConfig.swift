// `[transfer]`: call transfer (REFER from desk phones and PBXs, `transfer` from
// browser agents). The WhatsApp leg stays up; wagate re-originates the business
// side to the target and bridges it when the target answers.

/// Where a blind transfer goes when its target does not answer within
/// `ring_timeout` (`fallback`).
public enum TransferFallback: Sendable, Equatable, CustomStringConvertible {
    /// Ring the transferring user again (`return`), as Asterisk's
    /// `atxferdropcall = no` and FreeSWITCH's `transfer_fallback_extension` do.
    case returnToTransferor
    /// End the call (`none`).
    case none
    /// Ring this user, group or trunk (`user:NAME`, `group:NAME`, `trunk:NAME`).
    case target(InboundTarget)

    /// Parses `return`, `none`, `user:NAME`, `group:NAME` or `trunk:NAME` (kind
    /// words case-insensitive); nil for anything else.
    public init?(_ text: String) {
        switch TextScanning.asciiLowercased(text) {
        case "return": self = .returnToTransferor
        case "none": self = .none
        default:
            guard let target = InboundTarget(text) else { return nil }
            self = .target(target)
        }
    }

    /// The configuration text of this value.
    public var description: String {
        switch self {
        case .returnToTransferor: "return"
        case .none: "none"
        case .target(let target): target.description
        }
    }
}

/// The `[transfer]` section. Every key applies live on reload: a transfer
/// already under way keeps the values it started with.
public struct TransferConfig: Sendable, Equatable {
    /// Transfers are accepted at all (`enabled`); a REFER gets 403 when off.
    public var enabled: Bool = true
    /// A trunk (a PBX) may transfer the calls it carries (`from_trunks`); a
    /// REFER from a trunk gets 403 when off.
    public var fromTrunks: Bool = true
    /// How long a transfer target rings before the fallback applies (`ring_timeout`).
    public var ringTimeout: Duration = .seconds(30)
    /// What happens when a blind transfer's target does not answer (`fallback`).
    public var fallback: TransferFallback = .returnToTransferor
    /// The trunk that a target naming no user or group is dialled on, with the
    /// target as Request-URI user (`extension_trunk`); nil: such a target is refused.
    public var extensionTrunk: String?
    /// Users may call users and groups by name, so a desk phone can make the
    /// consultation call of an attended transfer (`internal_calls`).
    public var internalCalls: Bool = true
    /// NOTIFY the transferor of the target's `180 Ringing` too, besides
    /// `100 Trying` and the final status (`notify_progress`); off because some
    /// phones act on any NOTIFY they get.
    public var notifyProgress: Bool = false

    /// The defaults.
    public static let defaults = TransferConfig()

    /// Creates a configuration with the defaults.
    public init() {}
}
