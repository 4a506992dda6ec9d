// Who may call what, and how many calls at once: destination policy and
// per-user, per-trunk and gateway-wide limits. Pure; the actor supplies counts.

public import Config

/// An INVITE that passed admission.
public struct AdmittedCall: Sendable, Equatable {
    /// The WhatsApp user: by `+E164` number, or by the BSUID a phone dialled back.
    public var user: WhatsAppUser
    /// Whom the call counts against (the user or trunk that placed it).
    public var owners: Set<String>
    /// The business number the call goes out through.
    public var number: WhatsAppNumberID
}

/// The decisions on new calls, before any state machine exists.
public struct Admission: Sendable {
    /// The configuration decided against.
    public var config: GatewayConfig
    /// Phone number ids of the numbers in `config.numbers` that were added at runtime.
    public var runtimeNumbers: Set<String> = []

    /// Creates an admission policy.
    public init(config: GatewayConfig) { self.config = config }

    /// Admits or refuses an INVITE. `activeCalls` is the gateway's count and
    /// `activeCallsByOwner` counts calls by owner key (``ownerKey(_:)``).
    /// `activeCallsByNumber` counts calls by business number, against each number's `max_calls`.
    public func admit(_ invite: IncomingInvite, activeCalls: Int, activeCallsByOwner: [String: Int],
                      activeCallsByNumber: [WhatsAppNumberID: Int] = [:],
                      draining: Bool) -> Result<AdmittedCall, SIPRefusal> {
        if draining {
            return .failure(SIPRefusal(.shutdown, SIPResponse(status: 503, warning: "gateway shutting down",
                                                              reason: FailureMapping.sipReason(503, "Shutting down"))))
        }
        let (policy, limit, dialled, number): (DestinationPolicy, Int, String, NumberConfig)
        let choice: NumberChoice
        switch chooseNumber(invite) {
        case .success(let chosen): choice = chosen
        case .failure(let refusal): return .failure(refusal)
        }
        number = choice.number
        switch invite.origin {
        case .user(let name):
            guard let user = config.user(named: name) else { return .failure(forbidden("unknown user \(name)")) }
            (policy, limit, dialled) = (user.policy, user.maxCalls, choice.dialled)
        case .trunk(let name):
            guard let trunk = config.trunk(named: name) else { return .failure(forbidden("unknown trunk \(name)")) }
            (policy, limit, dialled) = (trunk.policy, trunk.maxCalls, trunk.rewriteInboundDialled(choice.dialled))
        }
        let numberID = WhatsAppNumberID(number.phoneNumberID)
        // A trunk's `inbound_strip`/`inbound_prefix` are for numbers: a BSUID is taken as dialled.
        if let user = WhatsAppUser(dialledBSUID: choice.dialled) {
            guard Self.permitsBSUIDs(policy) else {
                return .failure(forbidden("destination \(user.address) not permitted (a BSUID, not a number)"))
            }
            if let refusal = limitRefusal(invite.origin, limit: limit, activeCalls: activeCalls,
                                          activeCallsByOwner: activeCallsByOwner)
                ?? numberLimitRefusal(number, activeCalls: activeCallsByNumber[numberID, default: 0]) {
                return .failure(refusal)
            }
            return .success(AdmittedCall(user: user, owners: [Self.ownerKey(invite.origin)], number: numberID))
        }
        guard let e164 = config.dialplan.normalize(dialled) else {
            return .failure(SIPRefusal(.forbidden, SIPResponse(
                status: 404, warning: "'\(dialled)' is not a WhatsApp number (E.164)",
                reason: FailureMapping.sipReason(404, "Not an E.164 number"))))
        }
        guard policy.permits(e164) else { return .failure(forbidden("destination \(e164) not permitted")) }
        if let refusal = limitRefusal(invite.origin, limit: limit, activeCalls: activeCalls,
                                      activeCallsByOwner: activeCallsByOwner) {
            return .failure(refusal)
        }
        if let refusal = numberLimitRefusal(number, activeCalls: activeCallsByNumber[numberID, default: 0]) {
            return .failure(refusal)
        }
        return .success(AdmittedCall(user: WhatsAppUser(phone: e164), owners: [Self.ownerKey(invite.origin)],
                                     number: numberID))
    }

    /// Whether a policy lets its user or trunk call a WhatsApp user by BSUID. A
    /// BSUID hides the number, so number patterns cannot judge it: only a policy
    /// that allows every number (`allow = +*`) allows BSUIDs; one limited to some
    /// countries or numbers does not. Meta still refuses a BSUID user who has
    /// not given this business call permission.
    static func permitsBSUIDs(_ policy: DestinationPolicy) -> Bool {
        policy.allow.contains(.prefix("+"))
    }

    /// Whether `invite` is for the echo test: a user (not a trunk, whose numbers are
    /// always WhatsApp numbers) dialled `[general] echo_extension` exactly, as
    /// Asterisk users reach `*43` from their own phones.
    public func isEchoTest(_ invite: IncomingInvite) -> Bool {
        guard case .user = invite.origin, let echo = config.general.echoExtension else { return false }
        return invite.dialled == echo
    }

    /// Admits or refuses a call to the echo test: draining, the gateway-wide limit and
    /// the caller's own `max_calls` apply as to any call; there is no destination policy.
    /// `available` is false when the gateway has no echo media (503).
    public func admitEcho(_ origin: SIPOrigin, activeCalls: Int, activeCallsByOwner: [String: Int],
                          draining: Bool, available: Bool) -> SIPRefusal? {
        if draining {
            return SIPRefusal(.shutdown, SIPResponse(status: 503, warning: "gateway shutting down",
                                                     reason: FailureMapping.sipReason(503, "Shutting down")))
        }
        guard available else {
            return SIPRefusal(.mediaFailure, SIPResponse(status: 503, warning: "echo test not available",
                                                         reason: FailureMapping.sipReason(503, "No echo test")))
        }
        let limit: Int
        switch origin {
        case .user(let name):
            guard let user = config.user(named: name) else { return forbidden("unknown user \(name)") }
            limit = user.maxCalls
        case .trunk(let name):
            guard let trunk = config.trunk(named: name) else { return forbidden("unknown trunk \(name)") }
            limit = trunk.maxCalls
        }
        return limitRefusal(origin, limit: limit, activeCalls: activeCalls, activeCallsByOwner: activeCallsByOwner)
    }

    /// 503 at the gateway-wide limit, 486 at the caller's own limit (as Asterisk's
    /// `call-limit` answers busy), nil below both.
    private func limitRefusal(_ origin: SIPOrigin, limit: Int, activeCalls: Int,
                              activeCallsByOwner: [String: Int]) -> SIPRefusal? {
        if let maximum = config.general.maxCalls, activeCalls >= maximum {
            return SIPRefusal(.limit, SIPResponse(status: 503, warning: "gateway call limit reached",
                                                  reason: FailureMapping.sipReason(503, "Call limit")))
        }
        if activeCallsByOwner[Self.ownerKey(origin), default: 0] >= limit {
            return SIPRefusal(.limit, SIPResponse(status: 486, warning: "\(origin) call limit reached",
                                                  reason: FailureMapping.sipReason(486, "Call limit")))
        }
        return nil
    }

    /// Whether an inbound call may start at all (draining, gateway limit, and the
    /// `max_calls` of the business number called, given its `numberCalls`).
    public func admitInbound(activeCalls: Int, draining: Bool, number: NumberConfig? = nil,
                             numberCalls: Int = 0) -> CallEndReason? {
        if draining { return .shutdown }
        if let maximum = config.general.maxCalls, activeCalls >= maximum { return .limit }
        if let number, numberCalls >= number.maxCalls { return .limit }
        return nil
    }

    /// The key calls are counted under for a user or trunk.
    public static func ownerKey(_ origin: SIPOrigin) -> String { origin.description }

    func forbidden(_ why: String) -> SIPRefusal {
        SIPRefusal(.forbidden, SIPResponse(status: 403, warning: why, reason: FailureMapping.sipReason(403, why)))
    }
}

/// A refused INVITE: the response to send and the reason to record.
public struct SIPRefusal: Error, Sendable, Equatable {
    /// Why, for the record.
    public var reason: CallEndReason
    /// The final response.
    public var response: SIPResponse

    /// Creates a refusal.
    public init(_ reason: CallEndReason, _ response: SIPResponse) {
        self.reason = reason
        self.response = response
    }
}
