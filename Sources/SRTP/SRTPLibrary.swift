import CSRTP
import Synchronization

/// libsrtp's process-wide initialisation. `srtp_init` is not thread-safe (two
/// concurrent calls can both register the crypto kernel's types and one fails),
/// so every caller in the process goes through this lock; a failed attempt is
/// retried on the next call rather than remembered forever. Once the kernel is
/// initialised, further `srtp_init` calls only re-check its status.
enum SRTPLibrary {
    private static let initialized = Mutex(false)

    static func ensureInitialized() throws(SRTPError) {
        let status: UInt32 = initialized.withLock { done in
            if done { return srtp_err_status_ok.rawValue }
            let status = srtp_init().rawValue
            done = status == srtp_err_status_ok.rawValue
            return status
        }
        guard status == srtp_err_status_ok.rawValue else {
            throw SRTPError(.setup, "srtp_init failed", status: status)
        }
    }
}

extension SRTPSession {
    /// Initialises libsrtp for the process (idempotent, thread-safe). Sessions do
    /// it themselves; call it first only if other code in the process calls
    /// libsrtp directly.
    public static func initializeLibrary() throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
    }
}
