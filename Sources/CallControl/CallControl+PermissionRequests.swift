// Performing `.sendPermissionRequest`: which message (interactive inside a
// customer service window, else the number's template), Meta's request limits
// per user, and what Meta's refusals teach (docs/whatsapp.md#settings-and-permissions).

import Foundation
import Logging

extension CallControl {
    /// How long a user is held back after Meta's 138009: Meta's daily window.
    static let requestLimitHold: TimeInterval = 24 * 3600
    /// How long a user is held back after a rate-limit answer without Retry-After.
    static let requestRateLimitHold: TimeInterval = 60

    /// What an outbound call's template parameters are filled in with.
    func requester(of invite: IncomingInvite, number: WhatsAppNumberID) -> PermissionRequestContext {
        let display = invite.fromDisplayName.flatMap { $0.isEmpty ? nil : $0 }
        return PermissionRequestContext(businessNumber: numberConfig(number)?.businessNumber ?? "",
                                        dialled: invite.dialled, caller: display ?? invite.fromUser)
    }

    /// The user messaged or called `number`: their customer service window opens (Meta's rule).
    func userActivity(_ user: WhatsAppUser, number: WhatsAppNumberID, at: Date?) {
        serviceWindows[number, default: ServiceWindowTable()].userActivity(user, at: at, now: clock.now)
    }

    /// A business-initiated call (outbound or callback) was answered: Meta resets the
    /// user's permission request limits.
    func businessCallConnected(_ id: CallID, number: WhatsAppNumberID) {
        guard let user = calls[id]?.machine.outboundUser else { return }
        requestLimits[number]?.reset(user)
        if let shared = ports.requestLimits {
            enqueue(id, .graph) { await shared.reset(user: user, number: number) }
        }
    }

    /// Sends a permission request for call `id`, unless no message fits or the
    /// user is over Meta's limits; counted in `wagate_permission_requests_total`.
    /// Returns what became of it (a queued request's answer comes later).
    @discardableResult
    func sendPermissionRequest(_ id: CallID, user: WhatsAppUser, number: WhatsAppNumberID, text: String,
                               context: CallLogContext, fill: PermissionRequestContext? = nil)
        -> PermissionRequestOutcome {
        let now = clock.now
        let config = numberConfig(number)
        let name = config?.name ?? number.rawValue
        let windowOpen = serviceWindows[number, default: ServiceWindowTable()].isOpen(user, now: now)
        let fill = fill ?? calls[id]?.requester ?? PermissionRequestContext(businessNumber: config?.businessNumber ?? "")
        guard let message = PermissionRequestMessage.choose(windowOpen: windowOpen, template: config?.permissionTemplate,
                                                            text: text, context: fill) else {
            counters.permissionRequests.count(number: name, kind: .template, outcome: .noTemplate)
            if loggedNoTemplate.insert(number).inserted {
                logger.notice("no permission request sent: no open customer service window and no permission_template",
                              metadata: Self.metadata(context, ["number": "\(name)"]))
            }
            return .impossible
        }
        guard requestLimits[number, default: PermissionRequestLimiter()].allows(user, now: now) else {
            counters.permissionRequests.count(number: name, kind: message.kind, outcome: .limited)
            logLimited(number: number, name: name, kind: message.kind, context: context, now: now)
            return .limited
        }
        requestLimits[number, default: PermissionRequestLimiter()].recordSent(user, now: now)
        let whatsApp = ports.whatsApp
        let shared = ports.requestLimits
        let requestID = UUID().uuidString
        let logger = logger
        let counters = counters.permissionRequests
        enqueue(id, .graph) {
            if let shared, await !shared.claim(user: user, number: number, requestID: requestID, now: now) {
                await self.heldBackByCluster(number: number, kind: message.kind, context: context, now: now)
                return
            }
            do throws(WhatsAppFailure) {
                try await whatsApp.sendPermissionRequest(to: user, from: number, message: message, context: context)
                counters.count(number: name, kind: message.kind, outcome: .sent)
                logger.info("permission request sent", metadata: Self.metadata(context, [
                    "number": "\(name)", "kind": "\(message.kind.rawValue)"]))
            } catch {
                await self.permissionRequestFailed(error, id: id, user: user, number: number, message: message,
                                                   sent: (now, requestID), context: context, fill: fill)
            }
        }
        return .queued
    }

    /// Meta refused a request: 138009 holds the user back a day; a rate limit
    /// for its Retry-After; 138017 means a permanent permission exists; 131047
    /// means the window was closed after all, so the template goes out instead.
    /// A refusal that is not a limit does not count against the user.
    func permissionRequestFailed(_ failure: WhatsAppFailure, id: CallID, user: WhatsAppUser, number: WhatsAppNumberID,
                                 message: PermissionRequestMessage, sent: (at: Date, requestID: String),
                                 context: CallLogContext, fill: PermissionRequestContext) {
        let now = clock.now
        let name = numberConfig(number)?.name ?? number.rawValue
        let limited = failure.graphCode == 138009
        counters.permissionRequests.count(number: name, kind: message.kind, outcome: limited ? .limited : .failed)
        logger.warning("permission request failed", metadata: Self.metadata(context, [
            "number": "\(name)", "kind": "\(message.kind.rawValue)", "error": "\(failure)"]))
        switch failure.graphCode {
        case 138009?:
            holdRequests(id, user: user, number: number, until: now.addingTimeInterval(Self.requestLimitHold))
            return
        case 4?, 613?, 80007?, 130429?, 131056?:
            var wait = Self.requestRateLimitHold
            if case .graph(_, _, _, _, let retryAfter?, _) = failure { wait = TimeInterval(retryAfter.components.seconds) }
            holdRequests(id, user: user, number: number, until: now.addingTimeInterval(max(wait, 1)))
            return
        case 138017?:
            permissions[number, default: PermissionCache()].store(CallPermission(status: .permanent), for: user, now: now)
        case 131047?:
            serviceWindows[number]?.close(user)
        default:
            break
        }
        guard !failure.outcomeUnknown else { return }
        requestLimits[number]?.refund(user, sentAt: sent.at)
        if let shared = ports.requestLimits {
            enqueue(id, .graph) { await shared.refund(number: number, requestID: sent.requestID) }
        }
        if failure.graphCode == 131047, message.kind == .interactive {
            sendPermissionRequest(id, user: user, number: number, text: "", context: context, fill: fill)
        }
    }
}

extension CallControl {
    /// No request to `user` through `number` before `until`, here and on every node.
    func holdRequests(_ id: CallID, user: WhatsAppUser, number: WhatsAppNumberID, until: Date) {
        requestLimits[number]?.block(user, until: until)
        if let shared = ports.requestLimits {
            enqueue(id, .graph) { await shared.hold(user: user, number: number, until: until) }
        }
    }

    /// The request was held back by the cluster's count: other nodes already sent
    /// the user what Meta's limits allow, or one of them learned Meta's hold.
    /// Counted and logged as this node's own limit is. The caller has already
    /// been told that a request is with the user. That is true when another
    /// node's request is, and the reply reaches every node.
    func heldBackByCluster(number: WhatsAppNumberID, kind: PermissionRequestKind, context: CallLogContext, now: Date) {
        let name = numberConfig(number)?.name ?? number.rawValue
        counters.permissionRequests.count(number: name, kind: kind, outcome: .limited)
        logLimited(number: number, name: name, kind: kind, context: context, now: now)
    }

    /// How often a number logs requests held back by the limits; the others are counted in the next line.
    static let limitedLogInterval: TimeInterval = 60

    /// Logs a request held back by Meta's limits: at most once a minute per number.
    func logLimited(number: WhatsAppNumberID, name: String, kind: PermissionRequestKind, context: CallLogContext,
                    now: Date) {
        if let last = limitedLog[number], now.timeIntervalSince(last.last) < Self.limitedLogInterval {
            limitedLog[number]?.suppressed += 1
            return
        }
        let suppressed = limitedLog[number]?.suppressed ?? 0
        limitedLog[number] = (now, 0)
        logger.info("no permission request sent: Meta's request limit for this user (1 per 24 h, 2 per 7 days)",
                    metadata: Self.metadata(context, ["number": "\(name)", "kind": "\(kind.rawValue)",
                                                      "suppressed": "\(suppressed)"]))
    }
}

extension CallStateMachine {
    /// The WhatsApp user of a business-initiated call (outbound or callback), whatever its phase; nil for others.
    var outboundUser: WhatsAppUser? {
        switch state {
        case .outbound(let call, _): call.user
        case .callback(let call, _): call.user
        default: nil
        }
    }
}
