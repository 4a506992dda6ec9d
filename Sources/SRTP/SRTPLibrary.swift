import CSRTP

/// libsrtp's process-wide state: `srtp_init` runs exactly once, lazily, on
/// first use (Swift initialises `static let` once, thread-safely).
/// libsrtp is never shut down; its global state lives as long as the process.
enum SRTPLibrary {
    /// The raw `srtp_err_status_t` of the one `srtp_init` call.
    private static let initStatus: UInt32 = srtp_init().rawValue

    /// Runs `srtp_init` if it has not run.
    /// - Throws: `SRTPError.Kind.setup` if it failed.
    static func ensureInitialized() throws(SRTPError) {
        let status = initStatus
        guard status == srtp_err_status_ok.rawValue else {
            throw SRTPError(.setup, "srtp_init failed", status: status)
        }
    }
}
