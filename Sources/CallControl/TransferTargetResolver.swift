// Where a transfer goes, decided from the configuration alone: the name a
// phone's Refer-To or an agent's `transfer {to}` carries, turned into a user,
// a ring group, a trunk or an extension behind `[transfer] extension_trunk`.

public import Config

/// Turns transfer targets into ring plans. Pure: contacts and limits are given.
public struct TransferTargetResolver: Sendable {
    /// What a target name is.
    public enum Resolution: Sendable, Equatable {
        /// Ring this target; `requestUser` is a trunk's Request-URI user (an extension).
        case target(InboundTarget, requestUser: String?)
        /// Refused with this SIP status (reported in the NOTIFY sipfrag).
        case refused(status: Int, detail: String)
    }

    /// The configuration resolved against.
    public var config: GatewayConfig
    /// The trunk extensions go to, if any.
    public var extensionTrunk: String?

    /// Creates a resolver.
    public init(config: GatewayConfig, extensionTrunk: String?) {
        self.config = config
        self.extensionTrunk = extensionTrunk
    }

    /// Classifies `target`: a user name, a group name, a trunk name (in that
    /// order, as Asterisk looks a REFER's user part up in its dial context);
    /// a WhatsApp number or BSUID is refused with 403 (the WhatsApp leg is the
    /// one that stays, so it cannot be transferred to another WhatsApp user);
    /// anything else goes to `extension_trunk` as the Request-URI user, or is
    /// refused with 404 when there is none.
    public func classify(_ target: String?) -> Resolution {
        guard let target, !target.isEmpty, target.utf8.count <= 128 else {
            return .refused(status: 400, detail: "transfer without a target")
        }
        if config.user(named: target) != nil { return .target(.user(target), requestUser: nil) }
        if config.ringGroup(named: target) != nil { return .target(.group(target), requestUser: nil) }
        if config.trunk(named: target) != nil { return .target(.trunk(target), requestUser: nil) }
        if config.dialplan.normalize(target) != nil || WhatsAppUser(dialledBSUID: target) != nil {
            return .refused(status: 403, detail: "transfer to WhatsApp users is not supported")
        }
        if let trunk = extensionTrunk, Self.isExtension(target) {
            return .target(.trunk(trunk), requestUser: target)
        }
        return .refused(status: 404, detail: "no user, group or trunk named \(target)")
    }

    /// The ring plan of `target` for the WhatsApp user `caller` (`+E164` or BSUID):
    /// the same stages an inbound call to that target rings, skipping users and
    /// trunks at their `max_calls` or without contacts. `isAtLimit` gets owner keys.
    public func plan(_ target: InboundTarget, requestUser: String?, caller: String, contacts: (String) -> [String],
                     isAtLimit: (String) -> Bool) -> TransferPlan {
        let router = InboundRouter(config: config)
        let inbound = InboundConfig(target: target, routes: [], ringTimeout: config.inbound.ringTimeout)
        let ring = router.plan(forCaller: caller, inbound: inbound, contacts: contacts, isAtLimit: isAtLimit)
        let owners = Set(ring.stages.flatMap { $0.targets.map(CallControl.ownerKey(of:)) })
        let label = requestUser.map { "\(target)/\($0)" } ?? target.description
        var plan = TransferPlan(stages: ring.stages, label: label, requestUser: requestUser, owners: owners)
        plan.target = target
        return plan
    }

    /// The user names a target may ring (their contacts are looked up first).
    public func users(in target: InboundTarget) -> [String] {
        InboundRouter(config: config).users(in: target)
    }

    /// Extension-like text: digits, `*`, `#`, letters, `.`, `-`, `_` (what a
    /// PBX dial plan accepts as a Request-URI user), at most 32 characters.
    static func isExtension(_ text: String) -> Bool {
        text.utf8.count <= 32 && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                               || "*#.-_".unicodeScalars.contains(scalar))
        }
    }
}
