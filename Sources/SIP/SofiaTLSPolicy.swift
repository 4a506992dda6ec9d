import CSofiaSIP
import CSofiaShims
import Config

/// The certificate checks of `[general] tls_verify` as sofia tport tags.
///
/// Sofia verifies per direction, for the whole agent:
/// - outgoing (`server`): `TPTLS_VERIFY_SUBJECTS_OUT` — the chain must reach
///   `cafile.pem` and one of the certificate's names (subjectAltName DNS or
///   URI, else the CN; sofia skips IP entries, so a peer reached by address
///   needs it as CN and no DNS entries) must equal the host wagate connected to, that is the
///   trunk's `host`. A failed check closes the connection before any request
///   is sent on it; the request then fails with a transport error.
/// - incoming (`client`): `TPTLS_VERIFY_IN` makes OpenSSL demand a client
///   certificate chaining to `cafile.pem` and abort the handshake otherwise;
///   with `tls_client_names`, `TPTLS_VERIFY_SUBJECTS_IN` also requires one of
///   those names in the certificate.
/// Expired and not-yet-valid certificates fail; chains are at most
/// `maximumDepth` certificates deep.
struct SofiaTLSPolicy {
    /// The longest certificate chain accepted (leaf, intermediates, root).
    static let maximumDepth: UInt32 = 5

    private let verification: TLSVerification

    /// The policy for `verification`.
    init(_ verification: TLSVerification) {
        self.verification = verification
    }

    /// The `TPTLS_VERIFY_*` bits for sofia.
    var policy: Int32 {
        var bits: Int32 = 0
        if verification.mode.checksServers { bits |= sofia_tptls_verify_subjects_out() }
        if verification.mode.checksClients {
            bits |= verification.clientNames.isEmpty ? sofia_tptls_verify_in() : sofia_tptls_verify_subjects_in()
        }
        return bits
    }

    /// Appends the policy, depth, date check and client names to `tags`;
    /// nothing when verification is off.
    func add(to tags: TagList) {
        guard verification.mode != .none else { return }
        tags.add(sofia_tptag_tls_verify_policy(policy))
        tags.add(sofia_tptag_tls_verify_depth(Self.maximumDepth))
        tags.add(sofia_tptag_tls_verify_date(1))
        if !verification.clientNames.isEmpty {
            tags.add(verification.clientNames.joined(separator: ","), sofia_tptag_tls_verify_subjects)
        }
    }
}
