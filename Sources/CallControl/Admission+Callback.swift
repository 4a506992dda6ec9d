// The decisions on callbacks: which callers have one, and whether a callback
// may still start when permission arrives (the configuration or the load may
// have changed since the refusal).

import Config

extension Admission {
    /// The caller's `permission_callback` window, nil when it has none.
    public func callbackWindow(_ origin: SIPOrigin) -> Duration? {
        switch origin {
        case .user(let name): config.user(named: name)?.permissionCallback
        case .trunk(let name): config.trunk(named: name)?.permissionCallback
        }
    }

    /// Whether a callback for `request` through `number` may start now: the
    /// caller still exists and still has a window, its destination policy still
    /// permits the user, and the gateway's, caller's and number's `max_calls` have room.
    public func admitCallback(_ request: CallbackRequest, number: WhatsAppNumberID, activeCalls: Int,
                              activeCallsByOwner: [String: Int], activeCallsByNumber: [WhatsAppNumberID: Int],
                              draining: Bool) -> SIPRefusal? {
        if draining { return SIPRefusal(.shutdown, SIPResponse(status: 503, warning: "gateway shutting down")) }
        let policy: DestinationPolicy, limit: Int
        switch request.origin {
        case .user(let name):
            guard let user = config.user(named: name) else { return forbidden("unknown user \(name)") }
            (policy, limit) = (user.policy, user.maxCalls)
        case .trunk(let name):
            guard let trunk = config.trunk(named: name) else { return forbidden("unknown trunk \(name)") }
            (policy, limit) = (trunk.policy, trunk.maxCalls)
        }
        guard callbackWindow(request.origin) != nil else { return forbidden("permission_callback is off") }
        let permitted = request.user.phone.map(policy.permits) ?? Self.permitsBSUIDs(policy)
        guard permitted else { return forbidden("destination \(request.user.address) not permitted") }
        if let refusal = limitRefusal(request.origin, limit: limit, activeCalls: activeCalls,
                                      activeCallsByOwner: activeCallsByOwner) {
            return refusal
        }
        guard let numberConfig = config.number(withID: number.rawValue) else { return nil }
        return numberLimitRefusal(numberConfig, activeCalls: activeCallsByNumber[number, default: 0])
    }
}
