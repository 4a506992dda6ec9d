// The state a transfer keeps: the request while its target is looked up (and,
// for an attended transfer, while the INVITE with Replaces rings: the call
// stays with the transferor until it is answered), and the call once its
// business side has moved (blind transfers, answered attended transfers).

import Config

extension CallStateMachine {
    /// A transfer asked for on the call's answered leg, not yet carried out.
    struct PendingTransfer: Sendable, Equatable {
        /// The transferor's leg (the REFER's dialog): NOTIFYs go there.
        var leg: SIPLegID
        /// The CDR row.
        var record: TransferRecord
        /// Attended: the resolved plan, once known.
        var plan: TransferPlan?
        /// Attended: the INVITE with Replaces, once placed.
        var newLeg: SIPLegID?
        /// The target a `return` fallback rings later.
        var transferor: TransferorTarget?
    }

    /// The business party a `return` fallback rings again.
    struct TransferorTarget: Sendable, Equatable {
        /// The user, group or trunk.
        var target: InboundTarget
        /// A trunk's Request-URI user (the caller behind the trunk).
        var requestUser: String?
    }

    /// A call whose business side moved: the WhatsApp leg, its wacid and its
    /// bridge stay; the business side is being re-originated or is connected.
    struct TransferredCall: Sendable, Equatable {
        /// The WhatsApp party (caller id of the new INVITE).
        var user: WhatsAppUser
        /// The CDR row of the transfer in progress (or the last one).
        var record: TransferRecord
        /// Where it rings now.
        var plan: TransferPlan
        /// Who a `return` fallback rings.
        var transferor: TransferorTarget?
        /// The plan being rung is the fallback (a second failure ends the call).
        var fallingBack = false
    }

    /// Where a transferred call is.
    enum TransferPhase: Sendable, Equatable {
        /// The fallback target is being looked up.
        case resolving
        /// Media is producing the SIP offer.
        case offering
        /// A stage of the plan rings on `leg` with `offer`.
        case ringing(leg: SIPLegID, stage: Int, offer: String)
        /// The new business side answered and is bridged.
        case connected(leg: SIPLegID)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .resolving: "resolving"
            case .offering: "offering"
            case .ringing: "ringing"
            case .connected: "connected"
            }
        }
    }

    /// True for the legs a transfer placed (`<id>/xfer<n>`).
    func isTransferLeg(_ leg: SIPLegID) -> Bool {
        leg.rawValue.hasPrefix(id.rawValue + "/xfer")
    }

    /// The WhatsApp party of an answered call.
    var whatsAppUser: WhatsAppUser? {
        switch state {
        case .outbound(let call, _): call.user
        case .inbound(let call, _): call.caller
        case .callback(let call, _): call.user
        case .transferred(let call, _): call.user
        case .echo, .ended, .internalCall: nil
        }
    }

    /// Who took the call before this transfer, for a `return` fallback: the
    /// transferring user when the SIP layer named one, else the calling user or
    /// trunk (outbound), the callback's target, the inbound plan's target, or
    /// the last transfer's target.
    func transferorTarget(referredBy: String?) -> TransferorTarget? {
        if let referredBy { return TransferorTarget(target: .user(referredBy)) }
        switch state {
        case .outbound(let call, _):
            switch call.invite.origin {
            case .user(let name): return TransferorTarget(target: .user(name))
            case .trunk(let name): return TransferorTarget(target: .trunk(name), requestUser: call.invite.fromUser)
            }
        case .inbound(let call, _):
            return InboundTarget(call.plan.targetName).map { TransferorTarget(target: $0) }
        case .callback(let call, _):
            return InboundTarget(call.target.name).map {
                TransferorTarget(target: $0, requestUser: call.target.requestUser)
            }
        case .transferred(let call, _):
            return call.plan.target.map { TransferorTarget(target: $0, requestUser: call.plan.requestUser) }
        case .echo, .ended, .internalCall:
            return nil
        }
    }
}
