// A web agent's "send the permission request" button: the same dial plan,
// destination policy and number choice as a call, then the permission-request
// path of outbound calls (interactive message in a service window, else the
// number's template, Meta's limits), and a watch so the page hears the reply.

import Foundation

/// What became of a page's permission request.
public enum AgentPermissionRequestOutcome: Sendable, Equatable {
    /// Sent (or queued) to `user` (the normalised number or BSUID).
    case requested(user: String)
    /// Not sent, with the reason for the page.
    case refused(String)
}

extension CallControl {
    /// Tells `notifications` about permission replies agents wait for.
    public func attachAgents(_ notifications: any AgentNotifications) {
        agentNotifications = notifications
    }

    /// Gateway user `agent` asks WhatsApp user `dialled` (as typed in the page) for call permission.
    public func requestPermission(by agent: String, to dialled: String) -> AgentPermissionRequestOutcome {
        let invite = IncomingInvite(leg: SIPLegID("permission-\(agent)"), sipCallID: "", origin: .user(agent),
                                    dialled: dialled, fromUser: agent, sdpOffer: nil)
        // A message is no call: only the policy, the dial plan and the number apply, not call limits.
        let admitted: AdmittedCall
        switch admission.admit(invite, activeCalls: 0, activeCallsByOwner: [:], draining: false) {
        case .failure(let refusal): return .refused(refusal.response.warning ?? "not permitted")
        case .success(let call): admitted = call
        }
        let id = CallID("permission-\(agent)")
        let outcome = sendPermissionRequest(id, user: admitted.user, number: admitted.number,
                                            text: settings.permissionRequestText, context: CallLogContext(callID: id),
                                            fill: requester(of: invite, number: admitted.number))
        switch outcome {
        case .impossible: return .refused("no permission template and no open customer service window")
        case .limited: return .refused("too many permission requests to this user; try again later")
        default:
            permissionWatchers.watch(admitted.user.address, number: admitted.number, agent: agent, now: clock.now)
            return .requested(user: admitted.user.address)
        }
    }

    /// A permission reply: the agents that asked for it hear it.
    func notifyWatchers(_ user: WhatsAppUser, accepted: Bool, expiration: Date?, number: WhatsAppNumberID) async {
        let agents = permissionWatchers.take(user.address, number: number, now: clock.now)
        guard !agents.isEmpty, let agentNotifications else { return }
        await agentNotifications.permissionChanged(PermissionNotice(user: user.address, granted: accepted,
                                                                    expiresAt: expiration), users: agents)
    }
}
