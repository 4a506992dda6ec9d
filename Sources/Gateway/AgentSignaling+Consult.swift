import CallControl
import WebAgents

/// Attended transfer from the page: `hold` X, `dial {to:"bob"}` (an internal call Y,
/// the consultation), then `transfer {call: X, replaces: Y}`. X's business side
/// becomes Y's answered party and the agent's legs of both calls end.
///
/// How: call control places, on X, an INVITE with `Replaces` naming Y's dialog with
/// bob's phone (RFC 3891), sent to bob's registered phones with `Require: replaces`:
/// the phone holding that dialog answers without ringing and BYEs it (which ends Y
/// and tells the page Y `ended`); any other contact answers 481 or 420. This is the
/// same path as a desk phone's REFER with a local Replaces, so the two share their
/// rules (NOTIFY mapping, failure keeps X with the transferor, CDR). Re-pointing
/// media inside wagate instead (re-INVITE bob onto X's RTP port on Y's dialog) would
/// need a re-INVITE command the SIP adapter does not have, and would leave the SIP
/// dialog belonging to one call and the media to another.
extension AgentSignaling {
    /// `transfer {call, replaces}` on the answered agent call `call` (X): Y must be one
    /// of the same session's own answered calls. A consultation already gone gets
    /// `transfer {state:"failed", sip_status:481}` and X stays with the agent.
    func consultTransfer(_ call: Call, id: String, replaces: String, re: String?) async {
        guard call.answered else {
            await hub.send(.error(AgentError(re: re, code: .invalidState, message: "the call is not answered")),
                           to: call.session)
            return
        }
        await hub.send(.ok(re: re), to: call.session)
        guard let consultation = calls[replaces], consultation.session == call.session, consultation.answered,
              replaces != id else {
            logger.notice("attended transfer: the consultation is gone", metadata: ["agent_call": "\(id)", "replaces": "\(replaces)"])
            return await tell(.transfer(AgentTransferNotice(call: id, state: "failed", to: "", sipStatus: 481)),
                              session: call.session)
        }
        calls[id]?.transferTo = consultation.dialled ?? replaces
        let request = TransferRequest(target: nil, replaces: .leg(consultation.leg), referredBy: call.user)
        await sink?.handleSIP(.transferRequested(request), on: call.leg)
    }
}

extension AgentMedia {
    /// Media without browser sides to detach (test fakes) does nothing.
    func detachAgentSide(call: CallID) async {}
}
