// Graph faults as call control meets them: new calls refused while the circuit
// breaker is open, and terminates retried until Meta acknowledges them.

import Foundation
import Logging

extension CallControl {
    /// How long terminates still being retried get once a drain has emptied the table.
    static let shutdownRetryWindow: TimeInterval = 10

    /// 503 with Retry-After when the Graph circuit breaker refuses new calls, else nil.
    func graphUnavailableRefusal() -> SIPRefusal? {
        guard let retryAfter = circuit?.refusalForNewCall() else { return nil }
        let (response, reason) = FailureMapping.response(for: .circuitOpen(retryAfter: retryAfter),
                                                         defaultRetryAfter: settings.unavailableRetryAfter)
        return SIPRefusal(reason, response)
    }

    /// Sends `terminate` until Meta acknowledges it: a terminate decides when billing
    /// stops. Outages (timeouts, connection errors, 5xx) are retried with backoff
    /// (``TerminateRetrySchedule``) for `[whatsapp] terminate_retry_horizon`; a 4xx
    /// answer means Meta knows the call and is final. Terminates are sent even while
    /// the circuit breaker is open. Throws the last failure when it gives up.
    func terminateUntilAcknowledged(_ wacid: WACID, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) {
        let whatsApp = ports.whatsApp
        let started = clock.now
        var schedule = TerminateRetrySchedule(horizon: terminateRetryHorizon)
        while true {
            do throws(WhatsAppFailure) {
                try await whatsApp.terminate(wacid, number: number, context: context)
                if schedule.attempts > 0 {
                    logger.notice("terminate acknowledged after retries",
                                  metadata: Self.metadata(context, ["attempts": "\(schedule.attempts + 1)"]))
                }
                return
            } catch {
                guard error.isOutage else { throw error }
                let elapsed = Duration.seconds(clock.now.timeIntervalSince(started))
                guard let delay = schedule.nextDelay(elapsed: elapsed, cutoff: retryBudgetLeft()) else {
                    logger.error("terminate abandoned: WhatsApp may keep billing the call",
                                 metadata: Self.metadata(context, ["attempts": "\(schedule.attempts)",
                                                                   "error": "\(error)"]))
                    throw error
                }
                logger.warning("terminate failed, retrying",
                               metadata: Self.metadata(context, ["attempt": "\(schedule.attempts)",
                                                                 "retry_in_ms": "\(delay.milliseconds)",
                                                                 "error": "\(error)"]))
                await sleep(delay)
            }
        }
    }

    /// Time left before a shutdown cuts retries short; nil when not shutting down.
    private func retryBudgetLeft() -> Duration? {
        retryCutoff.map { .seconds(max(0, $0.timeIntervalSince(clock.now))) }
    }

    /// Waits `delay` on call control's clock (a mock clock in tests).
    private func sleep(_ delay: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            _ = clock.schedule(after: delay) { continuation.resume() }
        }
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
