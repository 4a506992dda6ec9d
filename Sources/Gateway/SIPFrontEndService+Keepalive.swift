import Config
import Foundation
import Logging
import SIP

extension SIPFrontEndService {
    /// OPTIONS keepalive (`[general] options_keepalive`, Asterisk's `qualify`):
    /// every interval, each registered contact gets an OPTIONS sent to the
    /// address it registered from (keeping its NAT binding open). A contact that
    /// does not answer at all (408, or 503 for a transport error) is removed, so
    /// calls stop ringing a phone that is gone. Any other response proves it alive.
    /// Each trunk is probed the same way at its host; `TrunkHealth` marks it
    /// down after repeated silence and routing skips it until it answers again.
    func runKeepalive(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            sendKeepalives(trunks: await calls.config.trunks)
        }
    }

    /// Probes every registered contact and `trunks` (as configured now, after any reload).
    private func sendKeepalives(trunks: [TrunkConfig]) {
        let now = Date().timeIntervalSince1970
        for binding in stack.registrar.allBindings(now: now) {
            let handle = stack.makeHandle()
            pendingKeepalives[handle] = binding
            stack.send(.options(handle, uri: binding.contact, proxy: binding.sourceURI))
        }
        let health = calls.trunkHealth
        for trunk in trunks {
            guard let handle = health.startProbe(trunk.name, handle: stack.makeHandle) else { continue }
            stack.send(.options(handle, uri: TrunkHealth.probeURI(trunk), proxy: nil))
        }
    }

    /// Handles the final response to a keepalive OPTIONS.
    func keepaliveAnswered(_ handle: SIPHandle, status: Int) async {
        if calls.trunkHealth.probeAnswered(handle, status: status) { return }
        guard let binding = pendingKeepalives.removeValue(forKey: handle) else { return }
        guard status == 408 || status == 503 else { return }
        if stack.registrar.remove(user: binding.user, contact: binding.contact) {
            logger.notice("contact unreachable, registration removed",
                          metadata: ["user": "\(binding.user)", "contact": "\(binding.contact)", "status": "\(status)"])
            await registrations?.save(user: binding.user)
        }
    }
}
