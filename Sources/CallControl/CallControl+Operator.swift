// What operators see and steer through the admin API: the live call table with
// both legs' state, hang-up of one call, drain without shutting down, readiness.

import Foundation

/// A live call as operators see it.
public struct LiveCall: Sendable, Equatable {
    /// Its log ids.
    public var context: CallLogContext
    /// Which way.
    public var direction: BridgeDirection
    /// The machine's phase (`outbound.setup`, `inbound.connected`, …).
    public var phase: String
    /// The business number's configured name; nil for the echo test.
    public var number: String?
    /// The SIP leg: `setup`, `ringing`, `answered` or `ended`.
    public var sipState: String
    /// The WhatsApp leg, same words; nil for the echo test.
    public var whatsAppState: String?
}

extension CallControl {
    /// Every call in the table, ordered by call id.
    public func liveCalls() -> [LiveCall] {
        calls.values.map { entry in
            let machine = entry.machine
            let legs = machine.legStates
            let number = router.config.numbers.first { $0.phoneNumberID == entry.number.rawValue }?.name
            return LiveCall(context: machine.context, direction: machine.direction, phase: machine.phase,
                            number: machine.direction == .echo ? nil : number ?? entry.number.rawValue,
                            sipState: legs.sip, whatsAppState: machine.direction == .echo ? nil : legs.whatsApp)
        }.sorted { $0.context.callID < $1.context.callID }
    }

    /// Ends `id` on both legs as an operator asked; false when no such call is live.
    public func hangUp(_ id: CallID) -> Bool {
        guard let entry = calls[id], !entry.machine.isEnded else { return false }
        logger.notice("call hung up by an operator", metadata: Self.metadata(entry.machine.context, [:]))
        deliver(.hangUp, to: id)
        return true
    }

    /// Stops (`on`) or resumes taking new calls, without ending live ones; a
    /// shutdown's drain cannot be undone.
    @discardableResult
    public func setDraining(_ on: Bool) -> Bool {
        if on {
            draining = true
        } else if drainWaiters.isEmpty && drainTimer == nil {
            draining = false
        }
        return draining
    }

    /// Whether the Graph circuit breaker refuses new calls: Meta has been failing
    /// and the open time is not over (after it, the next call probes Meta).
    public var isGraphUnavailable: Bool {
        circuit?.isRefusingNewCalls ?? false
    }
}
