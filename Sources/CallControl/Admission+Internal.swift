// Internal calls at admission: which dialled strings are a user or a group.

public import Config

extension Admission {
    /// The user or ring group `invite` calls internally: with `[transfer] internal_calls`
    /// on, a user (not a trunk, whose dialled strings are WhatsApp numbers) dialling
    /// exactly a user or group name, checked before the dial plan as the echo
    /// extension is (names are not numbers, so nothing the dial plan takes is lost).
    public func internalTarget(_ invite: IncomingInvite) -> InboundTarget? {
        guard config.transfer.internalCalls, case .user = invite.origin else { return nil }
        if config.user(named: invite.dialled) != nil { return .user(invite.dialled) }
        if config.ringGroup(named: invite.dialled) != nil { return .group(invite.dialled) }
        return nil
    }

    /// Admits or refuses an internal call from `origin`: draining (503), the
    /// gateway-wide limit (503) and the caller's own `max_calls` (486) apply as to
    /// any call; the callees' limits are applied by skipping them in the plan.
    public func admitInternal(_ origin: SIPOrigin, activeCalls: Int, activeCallsByOwner: [String: Int],
                              draining: Bool) -> SIPRefusal? {
        if draining {
            return SIPRefusal(.shutdown, SIPResponse(status: 503, warning: "gateway shutting down",
                                                     reason: FailureMapping.sipReason(503, "Shutting down")))
        }
        guard case .user(let name) = origin, let user = config.user(named: name) else {
            return forbidden("internal calls are for users")
        }
        return limitRefusal(origin, limit: user.maxCalls, activeCalls: activeCalls, activeCallsByOwner: activeCallsByOwner)
    }
}
