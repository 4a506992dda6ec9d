import CallControl
import Foundation
import WebAgents

/// The page's permission flow: `permission.request` goes through call control's
/// permission-request path, and the user's reply reaches the pages of the agents
/// who asked (`permission {status:"granted"}` or `"denied"`).
extension AgentSignaling: AgentNotifications {
    /// Reaches call control for permission requests from now on.
    func attachControl(_ control: CallControl) {
        self.control = control
    }

    /// `permission.request {to}` from `session`.
    func requestPermission(to dialled: String, re: String?, session: String, user: String) async {
        guard let control else {
            await hub.send(.error(AgentError(re: re, code: .unavailable, message: "not ready")), to: session)
            return
        }
        switch await control.requestPermission(by: user, to: dialled) {
        case .requested(let address):
            await hub.send(.ok(re: re), to: session)
            await hub.send(.permission(AgentPermissionNotice(to: address, status: "requested", canRequest: false,
                                                             requestSent: true)), to: session)
            logger.info("permission request from the page", metadata: ["user": "\(user)", "to": "\(address)"])
        case .refused(let reason):
            await hub.send(.error(AgentError(re: re, code: .permissionRequestRefused, message: reason)), to: session)
        }
    }

    func permissionChanged(_ notice: PermissionNotice, users: [String]) async {
        let message = AgentServerMessage.permission(AgentPermissionNotice(
            to: notice.user, status: notice.granted ? "granted" : "denied", canRequest: !notice.granted,
            requestSent: true, expiresAt: notice.expiresAt.map { $0.formatted(.iso8601) }))
        // Every session of the user, away ones included: presence decides what rings,
        // not whether the answer to the user's own request arrives.
        for user in users {
            for session in await hub.sessionIDs(ofUser: user) { await hub.send(message, to: session) }
        }
    }
}
