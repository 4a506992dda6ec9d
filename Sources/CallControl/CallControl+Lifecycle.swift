// Refusals, graceful drain and crash recovery.

import Foundation
import Logging

extension CallControl {
    /// Answers a refused INVITE and records the attempt.
    /// `number` is the business number the call would have gone through (the
    /// CDR's number), nil when none was chosen.
    func refuse(_ invite: IncomingInvite, id: CallID, refusal: SIPRefusal, direction: BridgeDirection = .outbound,
                number: WhatsAppNumberID? = nil) {
        let context = CallLogContext(callID: id, sipCallID: invite.sipCallID)
        let start = CallStart(direction: direction, from: invite.origin.description, to: invite.dialled,
                              sipCallID: invite.sipCallID, number: number, sipFromUser: invite.fromUser)
        let ending = CallEnding(reason: refusal.reason, endedBy: .gateway, sipStatus: refusal.response.status,
                                detail: refusal.response.warning)
        logger.notice("INVITE refused", metadata: Self.metadata(context, [
            "from": "\(invite.origin)", "to": "\(invite.dialled)", "status": "\(refusal.response.status)",
            "why": "\(refusal.response.warning ?? refusal.reason.rawValue)"]))
        perform([.respond(invite.leg, refusal.response), .record(.started(start)), .record(.ended(ending))],
                for: id, context: context, number: number)
    }

    /// Rejects a user-initiated call that cannot be taken (draining, gateway limit) and records it.
    func refuseInbound(_ wacid: WACID, id: CallID, caller: WhatsAppUser, number: WhatsAppNumberID,
                       reason: CallEndReason) {
        tombstones[wacid] = clock.now
        let context = CallLogContext(callID: id, wacid: wacid)
        let start = CallStart(direction: .inbound, from: caller.address, to: "none", wacid: wacid, user: caller)
        let ending = CallEnding(reason: reason, endedBy: .gateway, detail: "refused: \(reason.rawValue)")
        perform([.record(.started(start)), .reject(wacid), .record(.ended(ending))], for: id, context: context,
                number: number)
    }

    /// Stops taking new calls: INVITEs get 503, user-initiated calls are rejected.
    public func beginDrain() {
        draining = true
    }

    /// Graceful shutdown: stops taking calls, lets active calls finish for up to
    /// `drainTime`, then ends the rest on both legs, and returns once every call
    /// and port request is done.
    public func drain(drainTime: Duration) async {
        draining = true
        if !calls.isEmpty || !routing.isEmpty {
            drainTimer = clock.schedule(after: drainTime) { [weak self] in await self?.endAllCalls() }
            await withCheckedContinuation { drainWaiters.append($0) }
            drainTimer?.cancel()
            drainTimer = nil
        }
        // Terminates still being retried get a short last chance, not their whole horizon.
        retryCutoff = clock.now.addingTimeInterval(Self.shutdownRetryWindow)
        await waitUntilIdle()
    }

    /// Ends every call now on both legs (drain time over).
    public func endAllCalls() {
        for id in calls.keys.sorted() { deliver(.shutdown, to: id) }
    }

    /// Wakes `drain` callers.
    func resumeDrainWaiters() {
        let waiters = drainWaiters
        drainWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// Crash recovery for the calls the record keeper holds as in progress.
    public func recoverOrphans() async -> RecoveryReport {
        await recoverOrphans(await ports.records.callsInProgress())
    }

    /// Crash recovery: terminates through the API every WhatsApp call a previous run
    /// left in progress, asks the SIP adapter to close what it can, and records them ended.
    /// A cluster node that takes over a dead node's calls passes `ending` `.nodeFailed`.
    public func recoverOrphans(_ orphans: [OrphanedCall],
                               ending: CallEnding = CallEnding(reason: .recovered, endedBy: .gateway,
                                                              detail: "ended after a restart")) async -> RecoveryReport {
        var report = RecoveryReport()
        report.total = orphans.count
        for orphan in orphans {
            let context = CallLogContext(callID: orphan.callID, wacid: orphan.wacid, sipCallID: orphan.sipCallID)
            if let wacid = orphan.wacid {
                tombstones[wacid] = clock.now
                do throws(WhatsAppFailure) {
                    try await ports.whatsApp.terminate(wacid, number: orphan.number ?? settings.defaultNumber,
                                                       context: context)
                    report.terminated.append(wacid)
                } catch {
                    report.failed[wacid] = error.description
                    logger.warning("orphan terminate failed", metadata: Self.metadata(context, ["error": "\(error)"]))
                }
            }
            if let sipCallID = orphan.sipCallID {
                await ports.sip.closeOrphanedDialog(sipCallID: sipCallID, context: context)
                report.sipClosed.append(sipCallID)
            }
            await ports.records.record(.ended(ending), call: orphan.callID, at: clock.now, context: context)
        }
        return report
    }
}
