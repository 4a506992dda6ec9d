import DTLS
import Synchronization

/// The per-process DTLS context (one ECDSA P-256 certificate for every call),
/// made on first use.
enum WebRTCLegContext {
    private static let sharedContext = Mutex<DTLSContext?>(nil)

    static func shared() throws -> DTLSContext {
        try sharedContext.withLock { slot in
            if let context = slot { return context }
            let context = try DTLSContext(certificate: DTLSCertificate.shared())
            slot = context
            return context
        }
    }
}
