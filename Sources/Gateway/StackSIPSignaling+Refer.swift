import CallControl
import Logging
import SIP

// Call transfer on the SIP side: an accepted REFER becomes call control's
// `transferRequested` on the leg whose dialog carried it; call control's
// progress goes back as NOTIFY; an attended transfer's INVITE carries Replaces.

extension StackSIPSignaling {
    /// A REFER the stack accepted (202) on `handle`. A dialog call control
    /// does not know (a leg already gone) gets a final `481` NOTIFY.
    func refer(_ handle: SIPHandle, _ request: ReferRequest) async {
        guard let leg = dialogLeg(handle) else {
            logger.notice("REFER on a dialog no call owns", metadata: ["handle": "\(handle)"])
            stack.send(.notifyRefer(handle, status: 481, terminated: true))
            return
        }
        let transfer = TransferRequest(target: request.targetUser, replaces: replaces(of: request),
                                       referredBy: user(of: leg, handle: handle))
        logger.info("transfer requested by REFER", metadata: (outgoing[leg]?.context.metadata ?? [:]).merging([
            "leg": "\(leg)", "target": "\(transfer.target ?? "-")", "attended": "\(transfer.isAttended)",
        ]) { $1 })
        await sink?.handleSIP(.transferRequested(transfer), on: leg)
    }

    /// Reports a transfer's progress by NOTIFY on the leg's dialog; the stack
    /// sends nothing (and logs at debug) when that dialog has no pending REFER.
    func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async {
        guard let handle = incomingHandle[leg] ?? outgoing[leg]?.winner else {
            logger.debug("transfer NOTIFY for a leg without a dialog", metadata: context.metadata)
            return
        }
        stack.send(.notifyRefer(handle, status: status, terminated: final))
    }

    /// The leg of an answered dialog: an incoming call's, or a placed call's winning fork.
    private func dialogLeg(_ handle: SIPHandle) -> SIPLegID? {
        if let leg = incoming[handle] { return leg }
        if let leg = forkLeg[handle], outgoing[leg]?.winner == handle { return leg }
        return nil
    }

    /// The consultation the REFER's Replaces names: a leg of ours when the
    /// stack found the dialog locally, else the value to copy on.
    private func replaces(of request: ReferRequest) -> TransferReplaces? {
        guard let replaces = request.replaces else { return nil }
        if let local = request.replacedHandle, let leg = dialogLeg(local) { return .leg(leg) }
        return .remote(replaces.description)
    }

    /// The user at the far end of `leg`, when it is a user (not a trunk).
    private func user(of leg: SIPLegID, handle: SIPHandle) -> String? {
        incomingUser[leg] ?? outgoing[leg]?.users[handle]
    }

    /// What an outgoing INVITE replaces, as the stack renders it; nil with
    /// `valid` false when a copied value does not parse (the fork is not placed:
    /// ringing it as a plain second call would be wrong).
    func outgoingReplaces(_ target: SIPReplacesTarget?) -> (replaces: SIPOutgoingReplaces?, valid: Bool) {
        switch target {
        case nil: return (nil, true)
        case .value(let text):
            guard let header = ReplacesHeader(text) else { return (nil, false) }
            return (.value(header), true)
        case .dialogOf(let leg):
            guard let handle = incomingHandle[leg] ?? outgoing[leg]?.winner else { return (nil, false) }
            return (.dialog(handle), true)
        }
    }

    /// `Referred-By: <sip:USER@host>` (RFC 3892) for the user who transferred the call.
    func referredByHeader(_ user: String?, host: String) -> String? {
        guard let user else { return nil }
        return SIPExtensionHeader.line(name: "Referred-By", value: SIPNameAddress(uri: SIPURI(user: user, host: host)).description)
    }
}
