// The inbound plan (`[inbound]`, ring groups, users, trunks) turned into ring
// stages of concrete SIP targets.

public import Config

/// Resolves where an inbound call rings.
public struct InboundRouter: Sendable {
    /// The configuration routed by.
    public var config: GatewayConfig

    /// Creates a router.
    public init(config: GatewayConfig) { self.config = config }

    /// The plan for a call from `caller` (`+E164`, or a BSUID when Meta gave no
    /// number: `route` patterns are numbers, so such a caller rings the default
    /// target, and a trunk's caller rewrites apply to numbers only) under `inbound`
    /// (the called number's plan; `[inbound]` when nil). `contacts` gives a user's registered
    /// contacts; `isAtLimit` tells whether a user or trunk (by ``Admission/ownerKey(_:)``)
    /// has no call left. Users with no contacts or no call left are skipped, as
    /// Asterisk's Dial skips unavailable and busy devices.
    public func plan(forCaller caller: String, inbound: InboundConfig? = nil, contacts: (String) -> [String],
                     isAtLimit: (String) -> Bool) -> RingPlan {
        guard let target = (inbound ?? config.inbound).target(forCaller: caller) else {
            return RingPlan(stages: [], targetName: "none")
        }
        let stages: [RingStage]
        switch target {
        case .user(let name):
            stages = userTargets(name, contacts: contacts, isAtLimit: isAtLimit)
                .map { [RingStage(targets: $0, callerNumber: caller)] } ?? []
        case .trunk(let name):
            stages = trunkStage(name, caller: caller, isAtLimit: isAtLimit).map { [$0] } ?? []
        case .group(let name):
            stages = groupStages(name, caller: caller, contacts: contacts, isAtLimit: isAtLimit)
        }
        return RingPlan(stages: stages, targetName: target.description)
    }

    /// The user names an inbound target may ring (for counting and contact lookup).
    public func users(in target: InboundTarget) -> [String] {
        switch target {
        case .user(let name): [name]
        case .group(let name): config.ringGroup(named: name)?.members ?? []
        case .trunk: []
        }
    }

    private func userTargets(_ name: String, contacts: (String) -> [String],
                             isAtLimit: (String) -> Bool) -> [SIPTarget]? {
        guard config.user(named: name) != nil, !isAtLimit(Admission.ownerKey(.user(name))) else { return nil }
        let targets = contacts(name).map { SIPTarget.contact(user: name, uri: $0) }
        return targets.isEmpty ? nil : targets
    }

    private func trunkStage(_ name: String, caller: String, isAtLimit: (String) -> Bool) -> RingStage? {
        guard let trunk = config.trunk(named: name), !isAtLimit(Admission.ownerKey(.trunk(name))) else { return nil }
        let number = caller.hasPrefix("+") ? trunk.rewriteOutboundCaller(caller) : caller
        return RingStage(targets: [.trunk(name)], callerNumber: number)
    }

    private func groupStages(_ name: String, caller: String, contacts: (String) -> [String],
                             isAtLimit: (String) -> Bool) -> [RingStage] {
        guard let group = config.ringGroup(named: name) else { return [] }
        let members = group.members.compactMap { userTargets($0, contacts: contacts, isAtLimit: isAtLimit) }
        switch group.strategy {
        case .simultaneous:
            let all = members.flatMap { $0 }
            return all.isEmpty ? [] : [RingStage(targets: all, callerNumber: caller)]
        case .sequential:
            return members.map { RingStage(targets: $0, callerNumber: caller, timeout: group.memberTimeout) }
        }
    }
}
