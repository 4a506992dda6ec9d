import CallControl
import Logging
import SIP

/// One leg call control placed, rung as one fork per target.
///
/// The adapter is the one owner of the winner: the SIP stack reports every
/// fork's responses and picks nothing, and call control sees one leg, not its
/// forks. The rules (first 2xx wins, the others are cancelled, a late 2xx is
/// hung up, one failure when all failed) are `ForkOutcome`'s.
struct OutgoingLeg {
    /// The forks and their winner.
    var outcome: ForkOutcome<SIPHandle>
    /// The call's log ids.
    var context: CallLogContext
    /// The trunk each trunk fork goes to, for failure logs.
    var trunks: [SIPHandle: String] = [:]
    /// The user each registered-contact fork rings.
    var users: [SIPHandle: String] = [:]

    /// The fork handles, one per target.
    var forks: Set<SIPHandle> { outcome.forks }
    /// The fork whose 2xx was reported as the leg's answer.
    var winner: SIPHandle? { outcome.winner }

    /// The trunk forks among `forks`.
    static func trunks(of forks: [(SIPHandle, SIPTarget)]) -> [SIPHandle: String] {
        var trunks: [SIPHandle: String] = [:]
        for case let (handle, .trunk(name)) in forks { trunks[handle] = name }
        return trunks
    }

    /// The user of each contact fork among `forks`.
    static func users(of forks: [(SIPHandle, SIPTarget)]) -> [SIPHandle: String] {
        var users: [SIPHandle: String] = [:]
        for case let (handle, .contact(user, _)) in forks { users[handle] = user }
        return users
    }
}

extension StackSIPSignaling {
    /// A response to the initial INVITE of one fork. The winner's `callID` (the
    /// Call-ID of its 2xx, the one the answering phone saw) becomes the leg's
    /// SIP Call-ID in call control, its logs and its record.
    func forkResponse(_ handle: SIPHandle, status: Int, phrase: String, body: [UInt8],
                      callID: String?) async {
        guard let leg = forkLeg[handle], var state = outgoing[leg] else { return }
        let sdp = body.isEmpty ? nil : String(decoding: body, as: UTF8.self)
        switch status {
        case 100:
            return
        case 101..<200:
            guard state.winner == nil else { return }
            await sink?.handleSIP(.progress(status: status, sdp: sdp), on: leg)
        case 200..<300:
            switch state.outcome.answered(handle) {
            case .late: hangUpLateFork(handle, state: state)
            case .repeated: return
            case .won(let losers):
                outgoing[leg] = state
                for fork in losers { stack.send(.cancel(fork)) }
                let by = state.users[handle].map(SIPOrigin.user) ?? state.trunks[handle].map(SIPOrigin.trunk)
                await sink?.handleSIP(.answered(sdp: sdp, sipCallID: callID, by: by), on: leg)
            }
        default:
            let failure = state.outcome.failed(handle, status: status, phrase: phrase)
            outgoing[leg] = state
            logTrunkFailure(handle, status: status, phrase: phrase, state: state)
            if let failure { await sink?.handleSIP(.failed(status: failure.status, reason: failure.phrase), on: leg) }
        }
    }

    /// A trunk's failure, logged once with the trunk's name and what happened.
    /// Outcomes of the call itself (487 after our CANCEL, busy, decline) are
    /// no trunk failure and are left to call control's log.
    private func logTrunkFailure(_ handle: SIPHandle, status: Int, phrase: String, state: OutgoingLeg) {
        guard let trunk = state.trunks[handle], ![486, 487, 600, 603].contains(status) else { return }
        logger.warning("trunk call failed", metadata: state.context.metadata.merging([
            "trunk": "\(trunk)", "status": "\(status)",
            "cause": "\(SIPFailureCause.describe(status: status, phrase: phrase))",
        ]) { $1 })
    }

    /// A second fork answered after the winner: its dialog is not wanted.
    private func hangUpLateFork(_ handle: SIPHandle, state: OutgoingLeg) {
        logger.info("late answer of a losing fork hung up",
                    metadata: state.context.metadata.merging(["handle": "\(handle)"]) { $1 })
        stack.send(.bye(handle))
    }

    /// The final response to a re-INVITE or UPDATE the stack sent inside an
    /// answered dialog (its session refresh). Nothing changes for the call: on
    /// 408/481 the stack ends the dialog and `terminated` reports that.
    func inDialogResponse(_ handle: SIPHandle, method: String, status: Int, phrase: String) {
        let leg = incoming[handle] ?? forkLeg[handle]
        var metadata = leg.flatMap { outgoing[$0]?.context.metadata } ?? [:]
        metadata["handle"] = "\(handle)"
        metadata["method"] = "\(method)"
        metadata["status"] = "\(status)"
        if (200..<300).contains(status) {
            logger.debug("session refreshed", metadata: metadata)
        } else {
            metadata["phrase"] = "\(phrase)"
            logger.notice("in-dialog request refused", metadata: metadata)
        }
    }

    /// The dialog or transaction of `handle` is over. An end the stack decided
    /// (no ACK, a refresh refused with 408/481, the session timer expired, a
    /// transport error) reaches call control as the leg's failure; after a BYE
    /// or a final response call control already knows, and ignores it.
    func terminated(_ handle: SIPHandle, status: Int, phrase: String) async {
        let failure = SIPLegEvent.failed(status: status >= 300 ? status : 408, reason: phrase)
        if let leg = incoming.removeValue(forKey: handle) {
            incomingHandle[leg] = nil
            incomingUser[leg] = nil
            await sink?.handleSIP(failure, on: leg)
            return
        }
        guard let leg = forkLeg.removeValue(forKey: handle), var state = outgoing[leg] else { return }
        if state.winner == handle {
            await sink?.handleSIP(failure, on: leg)
        } else if state.winner == nil, !state.outcome.hasFailed(handle) {
            let final = status >= 300 ? status : 408
            let legFailure = state.outcome.failed(handle, status: final, phrase: phrase)
            outgoing[leg] = state
            logTrunkFailure(handle, status: final, phrase: phrase, state: state)
            if let legFailure {
                await sink?.handleSIP(.failed(status: legFailure.status, reason: legFailure.phrase), on: leg)
            }
        }
        if outgoing[leg]?.forks.allSatisfy({ forkLeg[$0] == nil }) == true { outgoing[leg] = nil }
    }
}
